namespace Appliance.Codecs.Aac;

/// <summary>
/// The RFC 6381 codecs parameter of an MPEG-4 audio track: "mp4a.40.&lt;audio object type&gt;" in
/// decimal (2 AAC-LC, 5 HE-AAC, 29 HE-AACv2). HE-AAC is named as such only when the
/// AudioSpecificConfig signals it explicitly (object type 5 or 29 first); implicitly signalled SBR
/// plays as the AAC-LC it is to a decoder that only knows LC, so "mp4a.40.2" is right for it.
/// </summary>
public static class AacCodecString
{
    /// <summary>False when the AudioSpecificConfig is truncated or uses a reserved value; <paramref name="problem"/> says so.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> audioSpecificConfig, out string codecs, out string problem)
    {
        codecs = "";
        if (!AudioSpecificConfig.TryParse(audioSpecificConfig, out var config))
        {
            problem = audioSpecificConfig.Length < 2
                ? $"is truncated ({audioSpecificConfig.Length} bytes; at least 2 are needed)"
                : "is truncated or uses a reserved value (object type 0, sampling index 13 or 14, channel configuration 8-10 or 15)";
            return false;
        }
        problem = "";
        codecs = Create(config);
        return true;
    }

    /// <summary>The string for a config already parsed.</summary>
    public static string Create(AacConfig config) => string.Create(null, stackalloc char[12], $"mp4a.40.{config.ObjectType}");
}
