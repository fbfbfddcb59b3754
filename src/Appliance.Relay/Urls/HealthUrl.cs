using System.Diagnostics.CodeAnalysis;

namespace Appliance.Relay.Urls;

/// <summary>A validated <c>http[s]://host[:port]/path</c> that answers 2xx while an upstream is healthy.</summary>
public sealed class HealthUrl
{
    public HealthUrl(string host, int port, string path, bool tls = false)
    {
        IsTls = tls;
        Host = host;
        Port = port;
        Path = path;
    }

    /// <summary>A DNS name or IP literal in lower case; IPv6 without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>https://: asked over TLS, its certificate verified like the candidate's.</summary>
    public bool IsTls { get; }

    /// <summary>The request target: path and query.</summary>
    public string Path { get; }

    /// <summary>The Host header value: the port only when it is not the scheme's default.</summary>
    public string HostHeader => Port == (IsTls ? UpstreamUrl.DefaultTlsPort : UpstreamUrl.DefaultHttpPort) ? UrlSyntax.ForUrl(Host) : $"{UrlSyntax.ForUrl(Host)}:{Port}";

    /// <summary>Where a candidate without a health URL of its own is probed: <c>/api/health</c> on an HTTP candidate's port, nowhere for RTMP.</summary>
    public static HealthUrl? DefaultFor(UpstreamUrl upstream) =>
        upstream.HealthUrlPath is { } path ? new HealthUrl(upstream.Host, upstream.Port, path, upstream.IsTls) : null;

    public static bool TryParse(string? text, [NotNullWhen(true)] out HealthUrl? url, out string error)
    {
        url = null;
        if (!UrlSyntax.CheckCharacters(text, out error))
        {
            return false;
        }
        if (!UrlSyntax.TrySplitScheme(text!, out var scheme, out var rest) || scheme is not ("http" or "https"))
        {
            error = "must start with http:// or https://";
            return false;
        }
        var tls = scheme == "https";
        if (!UrlSyntax.TryParseAuthority(rest, tls ? UpstreamUrl.DefaultTlsPort : UpstreamUrl.DefaultHttpPort, out var host, out int port, out int end, out error))
        {
            return false;
        }
        var path = rest[end..];
        if (path.Length == 0)
        {
            path = "/";
        }
        if (!path.StartsWith('/'))
        {
            error = "needs a path starting with '/'";
            return false;
        }
        for (int i = 0; i < path.Length; i++)
        {
            if (!UrlSyntax.IsPathCharacter(path, i))
            {
                error = path[i] == '%' ? "has a '%' not followed by two hex digits" : $"has a character not allowed in a URL path: '{path[i]}'";
                return false;
            }
        }
        url = new HealthUrl(host, port, path, tls);
        return true;
    }

    public override string ToString() => $"{(IsTls ? "https" : "http")}://{UrlSyntax.ForUrl(Host)}:{Port}{Path}";
}
