namespace Appliance.Node.Rtmp;

/// <summary>A stream name as sent in publish/play, split into the key part and its query (tokens ride there).</summary>
internal readonly record struct StreamName(string Name, string? Query)
{
    /// <summary>Splits "name?query" and checks the name is usable as a key; null with a reason if not.</summary>
    public static StreamName? Parse(string? raw, int maxLength, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(raw))
        {
            problem = "empty stream name";
            return null;
        }
        var question = raw.IndexOf('?');
        var name = question >= 0 ? raw[..question] : raw;
        var query = question >= 0 ? raw[(question + 1)..] : null;
        if (name.Length == 0)
        {
            problem = "empty stream name";
            return null;
        }
        if (name.Length > maxLength)
        {
            problem = $"stream name longer than {maxLength}";
            return null;
        }
        foreach (var c in name)
        {
            if (c < 0x20 || c == 0x7f || c is '/' or '\\' or '#' or '%' or ' ')
            {
                problem = "stream name has a forbidden character";
                return null;
            }
        }
        if (name is "." or "..")
        {
            problem = "stream name has a forbidden character";
            return null;
        }
        return new StreamName(name, query);
    }
}
