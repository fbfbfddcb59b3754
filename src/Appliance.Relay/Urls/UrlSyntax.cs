using System.Net;
using System.Net.Sockets;

namespace Appliance.Relay.Urls;

/// <summary>
/// The pieces upstream and health URLs share: the character screen, the scheme and the
/// authority. Strict on purpose: these URLs come from config, and whatever passes ends up in a
/// request line or a Host header we send.
/// </summary>
public static class UrlSyntax
{
    public const int MaxLength = 2048;

    private const int MaxHostLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Refuses what could never be part of a URL we send: empty, over-long, control characters, spaces, non-ASCII.</summary>
    public static bool CheckCharacters(string? text, out string error)
    {
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters";
            return false;
        }
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                error = "contains a control character";
                return false;
            }
            if (c == ' ')
            {
                error = "contains a space";
                return false;
            }
            if (c > '\x7e')
            {
                error = "contains a non-ASCII character (percent-encode it)";
                return false;
            }
        }
        error = "";
        return true;
    }

    public const string MaskedValue = "*****";

    /// <summary>
    /// The URL or path with every query value masked but placeholders (<c>{stream}</c>): queries
    /// of upstream and push URLs carry the node's credentials, and these forms go to logs and reports.
    /// </summary>
    public static string MaskQueryValues(string text)
    {
        var question = text.IndexOf('?');
        if (question < 0)
        {
            return text;
        }
        var masked = new System.Text.StringBuilder(text.Length);
        masked.Append(text, 0, question + 1);
        var first = true;
        foreach (var pair in text[(question + 1)..].Split('&'))
        {
            if (!first)
            {
                masked.Append('&');
            }
            first = false;
            var equals = pair.IndexOf('=');
            if (equals < 0 || pair.AsSpan(equals + 1).StartsWith("{") && pair.EndsWith('}'))
            {
                masked.Append(pair);
                continue;
            }
            masked.Append(pair, 0, equals + 1).Append(MaskedValue);
        }
        return masked.ToString();
    }

    /// <summary>Splits <c>scheme://rest</c>; the scheme comes back in lower case.</summary>
    public static bool TrySplitScheme(string text, out string scheme, out string rest)
    {
        int separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            scheme = "";
            rest = "";
            return false;
        }
        scheme = text[..separator].ToLowerInvariant();
        rest = text[(separator + 3)..];
        return true;
    }

    /// <summary>
    /// Parses <c>host[:port]</c> or <c>[v6]:port</c> at the start of <paramref name="rest"/>, up to
    /// the first '/' or '?'; <paramref name="end"/> is where the path starts. The host comes back in
    /// lower case, IPv6 without brackets.
    /// </summary>
    public static bool TryParseAuthority(string rest, int defaultPort, out string host, out int port, out int end, out string error)
    {
        host = "";
        port = defaultPort;
        end = rest.AsSpan().IndexOfAny('/', '?');
        if (end < 0)
        {
            end = rest.Length;
        }
        var authority = rest.AsSpan(0, end);
        if (authority.Contains('@'))
        {
            error = "must not carry credentials (user@host)";
            return false;
        }
        ReadOnlySpan<char> hostPart;
        ReadOnlySpan<char> portPart = default;
        bool hasPort;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0)
            {
                error = "has an unclosed '[' in the host";
                return false;
            }
            hostPart = authority[1..close];
            var after = authority[(close + 1)..];
            hasPort = after.Length > 0;
            if (hasPort && after[0] != ':')
            {
                error = "has characters after the ']' of its IPv6 host";
                return false;
            }
            portPart = hasPort ? after[1..] : default;
            if (!IPAddress.TryParse(hostPart, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6 || hostPart.Contains('%'))
            {
                error = "has a bracketed host that is not an IPv6 address";
                return false;
            }
        }
        else
        {
            int colon = authority.IndexOf(':');
            if (colon >= 0 && authority[(colon + 1)..].Contains(':'))
            {
                error = "has more than one ':' in its host (put an IPv6 address in brackets)";
                return false;
            }
            hasPort = colon >= 0;
            hostPart = hasPort ? authority[..colon] : authority;
            portPart = hasPort ? authority[(colon + 1)..] : default;
            if (hostPart.IsEmpty)
            {
                error = "has no host";
                return false;
            }
            if (!IsHostName(hostPart))
            {
                error = $"has an invalid host '{hostPart}'";
                return false;
            }
        }
        if (hasPort && !TryParsePort(portPart, out port))
        {
            error = $"has an invalid port '{portPart}' (1 to 65535)";
            return false;
        }
        host = hostPart.ToString().ToLowerInvariant();
        error = "";
        return true;
    }

    /// <summary>A host as it appears in a URL or Host header: IPv6 in brackets.</summary>
    public static string ForUrl(string host) => host.Contains(':') ? $"[{host}]" : host;

    /// <summary>The characters a path and query may hold as they are: RFC 3986 pchar, '/', '?', and '%' introducing two hex digits.</summary>
    public static bool IsPathCharacter(string text, int index)
    {
        char c = text[index];
        if (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".Contains(c))
        {
            return true;
        }
        return c == '%' && index + 2 < text.Length && char.IsAsciiHexDigit(text[index + 1]) && char.IsAsciiHexDigit(text[index + 2]);
    }

    /// <summary>DNS names (letters, digits, '-', '_', dotted labels) and IPv4 literals, which are shaped alike.</summary>
    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.Length > MaxHostLength)
        {
            return false;
        }
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.IsEmpty || label.Length > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (char c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        if (text.Length > 5 || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
        {
            return false;
        }
        port = value;
        return true;
    }
}
