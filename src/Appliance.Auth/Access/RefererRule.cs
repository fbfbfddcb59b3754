namespace Appliance.Auth.Access;

/// <summary>
/// Hotlink protection by the Referer's host: an allow list or a deny list of patterns.
/// "example.com" matches it and its subdomains, "*.example.com" only the subdomains; case is
/// ignored, as is the port. Whether a missing Referer passes is its own switch.
/// </summary>
public sealed class RefererRule
{
    private readonly HostPattern[] _patterns;
    private readonly bool _isAllowList;
    private readonly bool _allowEmpty;

    public RefererRule(IReadOnlyList<string>? allow, IReadOnlyList<string>? deny, bool allowEmpty)
    {
        _isAllowList = allow is { Count: > 0 };
        var source = _isAllowList ? allow! : deny ?? [];
        _patterns = source.Select(HostPattern.Parse).ToArray();
        _allowEmpty = allowEmpty;
    }

    public static RefererRule Open { get; } = new([], [], allowEmpty: true);

    public bool IsOpen => _patterns.Length == 0 && _allowEmpty;

    public bool Permits(string? referer)
    {
        var text = referer.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return _allowEmpty;
        }
        if (_patterns.Length == 0)
        {
            return true;
        }
        var host = HostOf(text);
        bool listed = false;
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(host))
            {
                listed = true;
                break;
            }
        }
        return listed == _isAllowList;
    }

    /// <summary>Whether a config entry is a host pattern this rule can use.</summary>
    public static bool IsValidPattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 253)
        {
            return false;
        }
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern.AsSpan(2) : pattern.AsSpan();
        return !host.IsEmpty && host[0] != '.' && host[^1] != '.' && host.IndexOfAny("*/:?#@[] \t") < 0;
    }

    /// <summary>The host of a Referer URL ("https://user@Host.example:8443/p?q" gives "Host.example"); tolerates a missing scheme.</summary>
    internal static ReadOnlySpan<char> HostOf(ReadOnlySpan<char> referer)
    {
        int scheme = referer.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme >= 0 ? referer[(scheme + 3)..] : referer;
        int pathStart = rest.IndexOfAny('/', '?', '#');
        var authority = pathStart >= 0 ? rest[..pathStart] : rest;
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            return close > 0 ? authority[1..close] : default;
        }
        int colon = authority.IndexOf(':');
        var host = colon >= 0 ? authority[..colon] : authority;
        return host.TrimEnd('.');
    }

    private readonly struct HostPattern
    {
        private readonly string _domain;
        private readonly bool _subdomainsOnly;

        private HostPattern(string domain, bool subdomainsOnly)
        {
            _domain = domain;
            _subdomainsOnly = subdomainsOnly;
        }

        public static HostPattern Parse(string pattern)
        {
            if (!IsValidPattern(pattern))
            {
                throw new FormatException($"'{pattern}' is not a host pattern");
            }
            pattern = pattern.Trim();
            return pattern.StartsWith("*.", StringComparison.Ordinal)
                ? new HostPattern(pattern[2..], subdomainsOnly: true)
                : new HostPattern(pattern, subdomainsOnly: false);
        }

        public bool Matches(ReadOnlySpan<char> host)
        {
            if (!host.EndsWith(_domain, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            if (host.Length == _domain.Length)
            {
                return !_subdomainsOnly;
            }
            // "badexample.com" must not pass for "example.com": the match has to start at a label.
            return host[host.Length - _domain.Length - 1] == '.';
        }
    }
}
