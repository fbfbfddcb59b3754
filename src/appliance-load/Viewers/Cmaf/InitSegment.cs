namespace Appliance.Load.Viewers.Cmaf;

/// <summary>What a player needs to know of an init segment here: whether its track is video.</summary>
internal static class InitSegment
{
    /// <summary>The handler_type of the first hdlr box ("vide", "soun"); null when there is none.</summary>
    public static string? Handler(ReadOnlySpan<byte> init)
    {
        // size, "hdlr", version and flags, pre_defined, handler_type.
        var at = init.IndexOf("hdlr"u8);
        if (at < 4 || at + 16 > init.Length)
        {
            return null;
        }
        var type = init.Slice(at + 12, 4);
        return type.SequenceEqual("vide"u8) ? "vide" : type.SequenceEqual("soun"u8) ? "soun" : System.Text.Encoding.ASCII.GetString(type);
    }
}
