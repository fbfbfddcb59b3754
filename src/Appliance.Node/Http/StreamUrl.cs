namespace Appliance.Node.Http;

/// <summary>
/// The grammar of a stream URL, apart from the session so every packager's route reads paths the
/// same way.
/// </summary>
public static class StreamUrl
{
    /// <summary>"/{app}/{name}.{ext}" (a stream) or "/{app}/{name}/{file}" (a segment of it).</summary>
    public static bool TryParse(string path, out string app, out string name, out string extension, out string? file)
    {
        app = name = extension = "";
        file = null;
        var span = path.AsSpan(1);
        var slash = span.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        app = span[..slash].ToString();
        var rest = span[(slash + 1)..];
        var second = rest.IndexOf('/');
        if (second >= 0)
        {
            var last = rest[(second + 1)..];
            if (second == 0 || last.IsEmpty || last.IndexOf('/') >= 0)
            {
                return false;
            }
            name = rest[..second].ToString();
            file = last.ToString();
            return true;
        }
        var dot = rest.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }
        name = rest[..dot].ToString();
        extension = rest[(dot + 1)..].ToString();
        return true;
    }
}
