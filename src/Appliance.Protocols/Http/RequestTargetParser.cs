using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Splits a request-target into path, query and (for absolute-form) host. Only origin-form
/// ("/path?query") and absolute-form ("http://host/path?query") are served; asterisk-form and
/// authority-form have no meaning for a media server and are refused.
/// </summary>
internal static class RequestTargetParser
{
    /// <param name="target">Visible ASCII, as validated by <see cref="RequestLineParser"/>.</param>
    /// <returns>0 on success, otherwise 400.</returns>
    public static int Parse(ReadOnlySpan<byte> target, HttpRequest request)
    {
        string rawTarget = Encoding.ASCII.GetString(target);
        request.RawTarget = rawTarget;

        ReadOnlySpan<byte> pathAndQuery;
        if (target[0] == (byte)'/')
        {
            pathAndQuery = target;
        }
        else if (TryStripScheme(target, out var afterScheme))
        {
            int authorityEnd = afterScheme.IndexOfAny("/?#"u8);
            var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
            // '@' is not a host char, so userinfo ("http://user@host/") is refused here too.
            if (authority.IsEmpty || authority.IndexOfAnyExcept(HttpCharacters.HostChars) >= 0)
            {
                return 400;
            }
            request.Host = Encoding.ASCII.GetString(authority);
            request.IsAbsoluteForm = true;
            pathAndQuery = authorityEnd < 0 ? default : afterScheme[authorityEnd..];
        }
        else
        {
            return 400;
        }

        int hash = pathAndQuery.IndexOf((byte)'#');
        if (hash >= 0)
        {
            pathAndQuery = pathAndQuery[..hash];
        }
        int question = pathAndQuery.IndexOf((byte)'?');
        var rawPath = question < 0 ? pathAndQuery : pathAndQuery[..question];
        request.Query = question < 0 ? null : Encoding.ASCII.GetString(pathAndQuery[(question + 1)..]);

        if (rawPath.IsEmpty)
        {
            // "http://host" and "http://host?x" address the root.
            request.Path = "/";
            return 0;
        }
        if (rawPath.Length == target.Length && PathDecoder.IsPlain(rawPath))
        {
            // The common playlist request: the path is the whole target, so share its string.
            request.Path = rawTarget;
            return 0;
        }
        if (!PathDecoder.TryDecode(rawPath, out string path))
        {
            return 400;
        }
        request.Path = path;
        return 0;
    }

    private static bool TryStripScheme(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> rest)
    {
        // Scheme is case-insensitive (RFC 3986 §3.1).
        if (target.Length >= 7 && Ascii.EqualsIgnoreCase(target[..7], "http://"u8))
        {
            rest = target[7..];
            return true;
        }
        if (target.Length >= 8 && Ascii.EqualsIgnoreCase(target[..8], "https://"u8))
        {
            rest = target[8..];
            return true;
        }
        rest = default;
        return false;
    }
}
