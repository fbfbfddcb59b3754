using Appliance.Auth.Text;

namespace Appliance.Auth;

/// <summary>
/// Recognises what path-form schemes put into a path, so the request can be routed to its app
/// before that app's checker verifies the token: the prefixes Type B `/{YYYYMMDDHHMM}/{md5}/...` and
/// Type C `/{md5}/{hex time}/...`, and an HMAC element `/{name}={token}` at any depth.
/// </summary>
public static class AuthPathPrefix
{
    /// <summary>What a token element must look like, for log lines about one that does not.</summary>
    public const string ExpectedTokenElement = "/{name}=...~hmac={64 hex digits} followed by / or the end of the path";

    /// <summary>True when an element opens an HMAC token ("/{name}=" then ip, st or exp) but no complete one is in the path.</summary>
    public static bool HasIncompleteTokenElement(string path) =>
        TokenPathElement.HasTokenStart(path) && !TokenPathElement.TryFindAny(path, out _, out _);

    /// <summary>
    /// Removes a complete HMAC token element wherever it is ("/live/__token__=exp=...~hmac={64 hex}/cam.m3u8"
    /// gives "/live/cam.m3u8"), raw slashes of its acl included.
    /// </summary>
    public static bool TryStripTokenElement(string path, out string realPath)
    {
        realPath = path;
        if (!TokenPathElement.TryFindAny(path, out int start, out int length))
        {
            return false;
        }
        realPath = string.Concat(path.AsSpan(0, start), path.AsSpan(start + length));
        if (realPath.Length == 0)
        {
            realPath = "/";
        }
        return true;
    }

    /// <summary>
    /// Removes a Type B or Type C prefix, or a first element holding '=' (an HMAC element too broken
    /// for <see cref="TryStripTokenElement"/>, routed anyway so the app's checker can say what is wrong).
    /// </summary>
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
