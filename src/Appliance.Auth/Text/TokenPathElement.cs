namespace Appliance.Auth.Text;

/// <summary>
/// An HMAC token carried as a path element, "/{name}={token}", at any depth of a path. The element
/// ends where the token ends, "~hmac=" and 64 hex digits followed by "/" or the end of the path, not
/// at the next "/": an acl written with raw slashes ("acl=/live/cam*") stays inside the element, and
/// the end is still unambiguous because no token field can hold "~". '=' may arrive as "%3D", as
/// URL encoders write it.
/// </summary>
public static class TokenPathElement
{
    public const int HmacHexDigits = 64;

    /// <summary>Where the element for <paramref name="name"/> is, if the path has one.</summary>
    public enum Outcome
    {
        /// <summary>No element starts with "/{name}=".</summary>
        Absent,

        /// <summary>One starts with "/{name}=" but does not end with "~hmac=", 64 hex digits and then "/" or the end.</summary>
        Unterminated,

        Found,
    }

    /// <summary>
    /// The first element starting "/{name}=": <paramref name="start"/> is its "/", <paramref name="length"/>
    /// runs to the end of its hmac, and <paramref name="valueStart"/> is where the token begins.
    /// </summary>
    public static Outcome Find(ReadOnlySpan<char> path, ReadOnlySpan<char> name, out int start, out int length, out int valueStart)
    {
        start = length = valueStart = 0;
        int searched = 0;
        while (true)
        {
            int slash = path[searched..].IndexOf('/');
            if (slash < 0)
            {
                return Outcome.Absent;
            }
            int at = searched + slash;
            var element = path[(at + 1)..];
            if (element.StartsWith(name, StringComparison.Ordinal) && element.Length > name.Length && element[name.Length] == '=')
            {
                start = at;
                valueStart = at + 1 + name.Length + 1;
                int end = EndOf(path, valueStart);
                if (end < 0)
                {
                    return Outcome.Unterminated;
                }
                length = end - at;
                return Outcome.Found;
            }
            searched = at + 1;
        }
    }

    /// <summary>
    /// The element of a token under any name, for routing before the app (and so its token name) is
    /// known: the element before the first complete "~hmac=" end that reads "/{name}=" and then the
    /// first field a token can start with (ip, st or exp). The app's own checker verifies it later.
    /// </summary>
    public static bool TryFindAny(ReadOnlySpan<char> path, out int start, out int length)
    {
        start = length = 0;
        int hmac = FirstCompleteHmac(path, out int end);
        if (hmac < 0)
        {
            return false;
        }
        // The element begins at the closest "/" before the hmac that opens a token, with no other
        // "~hmac" between them (that would be another, broken, token).
        var before = path[..hmac];
        int from = before.Length;
        while (from > 0)
        {
            int slash = before[..from].LastIndexOf('/');
            if (slash < 0)
            {
                return false;
            }
            if (OpensToken(path[(slash + 1)..hmac]))
            {
                if (path[(slash + 1)..hmac].Contains("~hmac", StringComparison.Ordinal))
                {
                    return false;
                }
                start = slash;
                length = end - slash;
                return true;
            }
            from = slash;
        }
        return false;
    }

    /// <summary>True when some element of the path opens a token ("/{name}=" then ip, st or exp), complete or not.</summary>
    public static bool HasTokenStart(ReadOnlySpan<char> path)
    {
        int searched = 0;
        while (true)
        {
            int slash = path[searched..].IndexOf('/');
            if (slash < 0)
            {
                return false;
            }
            int at = searched + slash;
            if (OpensToken(path[(at + 1)..]))
            {
                return true;
            }
            searched = at + 1;
        }
    }

    /// <summary>The index just past the token's 64 hex digits, or -1 when the hmac field does not end the element.</summary>
    private static int EndOf(ReadOnlySpan<char> path, int valueStart)
    {
        // A field cannot hold '~', so the first "~hmac" is the hmac field: it either ends the token or the token is broken.
        int at = path[valueStart..].IndexOf("~hmac", StringComparison.Ordinal);
        return at < 0 ? -1 : HmacEnd(path, valueStart + at);
    }

    /// <summary>The index of the first "~hmac" that completes a token, with its end; -1 when none does.</summary>
    private static int FirstCompleteHmac(ReadOnlySpan<char> path, out int end)
    {
        end = -1;
        int searched = 0;
        while (true)
        {
            int at = path[searched..].IndexOf("~hmac", StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }
            int hmac = searched + at;
            end = HmacEnd(path, hmac);
            if (end >= 0)
            {
                return hmac;
            }
            searched = hmac + 1;
        }
    }

    /// <summary>For "~hmac" at <paramref name="hmac"/>: past "=" (or "%3D"), 64 hex digits, if "/" or the end follows; else -1.</summary>
    private static int HmacEnd(ReadOnlySpan<char> path, int hmac)
    {
        int equals = EqualsLength(path, hmac + 5);
        if (equals == 0)
        {
            return -1;
        }
        int digits = hmac + 5 + equals;
        int end = digits + HmacHexDigits;
        if (end > path.Length || path[digits..end].ContainsAnyExcept("0123456789abcdefABCDEF") || end < path.Length && path[end] != '/')
        {
            return -1;
        }
        return end;
    }

    /// <summary>"{name}=" then "ip", "st" or "exp" and "=": how every token begins (exp is required, and only ip and st precede it).</summary>
    private static bool OpensToken(ReadOnlySpan<char> element)
    {
        // All of that sits before the element's first '/', so nothing past it is read.
        int slash = element.IndexOf('/');
        element = slash < 0 ? element : element[..slash];
        int name = element.IndexOf('=');
        if (name <= 0 || element[..name].ContainsAnyExcept(NameChars))
        {
            return false;
        }
        var field = element[(name + 1)..];
        foreach (var first in (ReadOnlySpan<string>)["ip", "st", "exp"])
        {
            if (field.StartsWith(first, StringComparison.Ordinal) && EqualsLength(field, first.Length) > 0)
            {
                return true;
            }
        }
        return false;
    }

    private const string NameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private static int EqualsLength(ReadOnlySpan<char> text, int at)
    {
        if (at < text.Length && text[at] == '=')
        {
            return 1;
        }
        return at + 3 <= text.Length && text.Slice(at, 3).Equals("%3D", StringComparison.OrdinalIgnoreCase) ? 3 : 0;
    }
}
