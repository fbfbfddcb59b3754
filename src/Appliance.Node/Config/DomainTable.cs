namespace Appliance.Node.Config;

/// <summary>Finds the domain and app a request names, by host (Host header or RTMP tcUrl host).</summary>
public sealed class DomainTable
{
    private readonly Dictionary<string, DomainConfig> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly DomainConfig? _fallback;

    public DomainTable(ApplianceConfig config)
    {
        foreach (var domain in config.Domains)
        {
            _byHost[domain.Name] = domain;
            foreach (var alias in domain.Aliases)
            {
                _byHost[alias] = domain;
            }
            if (domain.Name == "default")
            {
                _fallback = domain;
            }
        }
        _fallback ??= config.Domains.Count == 1 ? config.Domains[0] : null;
    }

    public DomainConfig? FindDomain(string? host)
    {
        if (!string.IsNullOrEmpty(host) && _byHost.TryGetValue(StripPort(host), out var domain))
        {
            return domain;
        }
        return _fallback;
    }

    public bool TryResolve(string? host, string app, out DomainConfig domain, out AppConfig appConfig)
    {
        domain = FindDomain(host)!;
        appConfig = null!;
        if (domain is null)
        {
            return false;
        }
        foreach (var candidate in domain.Apps)
        {
            if (candidate.Name == app)
            {
                appConfig = candidate;
                return true;
            }
        }
        return false;
    }

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']');
            return end > 0 ? host[1..end] : host;
        }
        var colon = host.IndexOf(':');
        return colon >= 0 && host.IndexOf(':', colon + 1) < 0 ? host[..colon] : host;
    }
}
