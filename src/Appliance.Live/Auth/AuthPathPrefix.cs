namespace Appliance.Live.Auth;

/// <summary>
/// Recognises the token prefixes that path-form schemes put in front of the real path, so the
/// request can be routed to its app before that app's checker verifies the token:
/// Type B `/{YYYYMMDDHHMM}/{md5}/...`, Type C `/{md5}/{hex time}/...`, HMAC `/{name}={token}/...`.
/// </summary>
public static class AuthPathPrefix
{
    public static bool TryStrip(string path, out string realPath)
    {
        realPath = path;
        var span = path.AsSpan();
        if (span.Length < 2 || span[0] != '/')
        {
            return false;
        }
        var first = Segment(span, 1);
        if (first.IsEmpty)
        {
            return false;
        }
        if (first.IndexOf('=') > 0)
        {
            realPath = path[(1 + first.Length)..];
            return realPath.Length > 1;
        }
        var second = Segment(span, 2 + first.Length);
        if (second.IsEmpty)
        {
            return false;
        }
        var typeB = first.Length == 12 && IsDigits(first) && second.Length == 32 && IsHex(second);
        var typeC = first.Length == 32 && IsHex(first) && second.Length is >= 1 and <= 16 && IsHex(second);
        if (!typeB && !typeC)
        {
            return false;
        }
        realPath = path[(2 + first.Length + second.Length)..];
        return realPath.Length > 1;
    }

    private static ReadOnlySpan<char> Segment(ReadOnlySpan<char> path, int start)
    {
        if (start >= path.Length)
        {
            return default;
        }
        var rest = path[start..];
        var end = rest.IndexOf('/');
        return end < 0 ? default : rest[..end];
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdefABCDEF");
}
