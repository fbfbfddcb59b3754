using System.Diagnostics.CodeAnalysis;
using Appliance.Protocols.Http;

namespace Appliance.Relay.Urls;

/// <summary>
/// A validated upstream candidate URL: <c>rtmp://host[:port][/app][?query]</c> (port 1935; the
/// stream name is appended, and without an app the local app's name is used; the query, the
/// node's own credentials for that parent, rides on the stream name) or an HTTP-FLV template
/// <c>http://host[:port]/path[?query]</c> (port 80) holding <c>{stream}</c> and optionally
/// <c>{app}</c>; <c>rtmps://</c> and <c>https://</c> (port 443 for both) are the same over TLS;
/// <c>srt://host:port[?streamid=...&amp;passphrase=...&amp;latency=...]</c> is MPEG-TS over SRT
/// (see <see cref="SrtUpstream"/>). Hosts are lower-cased, so <see cref="ToString"/> is a canonical form fit to be
/// the candidate's identity across nodes; it shows query values masked, since it goes to logs
/// and reports.
/// </summary>
public sealed partial class UpstreamUrl
{
    public const int DefaultRtmpPort = 1935;
    public const int DefaultHttpPort = 80;
    public const int DefaultTlsPort = 443;

    /// <summary>Where HTTP candidates (and the appliance itself) answer health probes.</summary>
    public const string DefaultHealthPath = "/api/health";

    private const string StreamPlaceholder = "{stream}";
    private const string AppPlaceholder = "{app}";

    private readonly string _canonical;

    private UpstreamUrl(UpstreamProtocol protocol, bool tls, string host, int port, string? app, string? pathTemplate, string? query = null, SrtUpstream? srt = null)
    {
        Protocol = protocol;
        IsTls = tls;
        Host = host;
        Port = port;
        App = app;
        PathTemplate = pathTemplate;
        Query = query;
        Srt = srt;
        if (srt is not null)
        {
            _canonical = $"srt://{UrlSyntax.ForUrl(host)}:{port}{srt.CanonicalQuery()}";
            return;
        }
        var scheme = (protocol == UpstreamProtocol.Rtmp ? "rtmp" : "http") + (tls ? "s" : "");
        var path = protocol == UpstreamProtocol.Rtmp ? (app is null ? "" : "/" + app) + (query is null ? "" : "?" + query) : pathTemplate!;
        _canonical = $"{scheme}://{UrlSyntax.ForUrl(host)}:{port}{UrlSyntax.MaskQueryValues(path)}";
    }

    /// <summary>The SRT options of an srt:// URL; null for the others.</summary>
    public SrtUpstream? Srt { get; }

    public UpstreamProtocol Protocol { get; }

    /// <summary>rtmps:// or https://: the connection is TLS, the certificate verified (see TlsClientTrust).</summary>
    public bool IsTls { get; }

    /// <summary>A DNS name or IP literal in lower case; IPv6 without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The RTMP app the URL names; null when it names none (the local app's name is used).</summary>
    public string? App { get; }

    /// <summary>The HTTP path and query template with its placeholders; null for RTMP.</summary>
    public string? PathTemplate { get; }

    /// <summary>An RTMP URL's query (without '?'), sent after the stream name: the node's credentials for that parent. Null when none.</summary>
    public string? Query { get; }

    /// <summary>The health path probed on <see cref="Host"/>:<see cref="Port"/>; null for RTMP and SRT, whose ports speak no HTTP.</summary>
    public string? HealthUrlPath => Protocol == UpstreamProtocol.HttpFlv ? DefaultHealthPath : null;

    /// <summary>The Host header value for requests to this candidate: the port only when it is not the default.</summary>
    public string HostHeader => Port == (IsTls ? DefaultTlsPort : DefaultHttpPort) ? UrlSyntax.ForUrl(Host) : $"{UrlSyntax.ForUrl(Host)}:{Port}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out UpstreamUrl? url, out string error)
    {
        url = null;
        if (!UrlSyntax.CheckCharacters(text, out error))
        {
            return false;
        }
        if (!UrlSyntax.TrySplitScheme(text!, out var scheme, out var rest))
        {
            error = "must start with rtmp://, rtmps://, http://, https:// or srt://";
            return false;
        }
        switch (scheme)
        {
            case "srt":
                return TryParseSrt(rest, out url, out error);
            case "rtmp" or "rtmps":
                return TryParseRtmp(rest, scheme == "rtmps", out url, out error);
            case "http" or "https":
                return TryParseHttp(rest, scheme == "https", out url, out error);
            case "rtmpe" or "rtmpt" or "rtmpte" or "rtmpts":
                error = $"{scheme} is not supported; use rtmp:// or rtmps://";
                return false;
            default:
                error = $"scheme '{scheme}' is not supported; use rtmp://, rtmps://, http://, https:// or srt://";
                return false;
        }
    }

    /// <summary>The app to play on the upstream: the URL's own, or the local app's name when it names none.</summary>
    public string RtmpApp(string localApp) => App ?? localApp;

    /// <summary>The tcUrl to connect with: <c>rtmp://host:port/app</c> (rtmps:// over TLS).</summary>
    public string RtmpTcUrl(string localApp) => $"{(IsTls ? "rtmps" : "rtmp")}://{UrlSyntax.ForUrl(Host)}:{Port}/{RtmpApp(localApp)}";

    /// <summary>The name to play or publish: the stream, then the URL's own query and the node's (loop protection) in one query.</summary>
    public string RtmpStreamName(string stream, string nodeQuery) =>
        Query is null ? $"{stream}?{nodeQuery}" : $"{stream}?{Query}&{nodeQuery}";

    /// <summary>
    /// The request target for pulling <paramref name="stream"/>: the template with both placeholders
    /// percent-encoded (every byte but RFC 3986 unreserved ones), so no name can add a path
    /// segment, a query or a line break to the request.
    /// </summary>
    public string HttpPath(string app, string stream)
    {
        if (PathTemplate is null)
        {
            throw new InvalidOperationException("an RTMP upstream has no HTTP path");
        }
        return PathTemplate
            .Replace(StreamPlaceholder, Uri.EscapeDataString(stream), StringComparison.Ordinal)
            .Replace(AppPlaceholder, Uri.EscapeDataString(app), StringComparison.Ordinal);
    }

    /// <summary>The canonical form: scheme, lower-case host, explicit port, app or template.</summary>
    public override string ToString() => _canonical;

    private static bool TryParseRtmp(string rest, bool tls, out UpstreamUrl? url, out string error)
    {
        url = null;
        if (rest.Contains('#'))
        {
            error = "must not carry a fragment (rtmp://host[:port]/app[?query])";
            return false;
        }
        string? query = null;
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
            if (!TryCheckQuery(query, out error))
            {
                return false;
            }
        }
        if (!UrlSyntax.TryParseAuthority(rest, tls ? DefaultTlsPort : DefaultRtmpPort, out var host, out int port, out int end, out error))
        {
            return false;
        }
        var path = rest.AsSpan(end);
        if (path.StartsWith("//") || path.EndsWith("//"))
        {
            error = "has an empty path segment";
            return false;
        }
        var app = path.Trim('/');
        if (app.Contains('/'))
        {
            error = "must name at most one app segment (rtmp://host[:port]/app; the stream name is appended)";
            return false;
        }
        if (app.IndexOfAny("%\\{}\"<>^`|") >= 0)
        {
            error = $"has an invalid app name '{app}'";
            return false;
        }
        url = new UpstreamUrl(UpstreamProtocol.Rtmp, tls, host, port, app.IsEmpty ? null : app.ToString(), null, query);
        return true;
    }

    private static bool TryCheckQuery(string query, out string error)
    {
        if (query.Length == 0)
        {
            error = "has an empty query after '?'";
            return false;
        }
        for (int i = 0; i < query.Length; i++)
        {
            if (query[i] == '?' || !UrlSyntax.IsPathCharacter(query, i))
            {
                error = query[i] == '%' ? "has a '%' not followed by two hex digits" : $"has a character not allowed in a URL query: '{query[i]}'";
                return false;
            }
        }
        if (HttpQuery.Get(query, Via.Parameter) is not null)
        {
            error = $"must not set {Via.Parameter} (the node adds it for loop protection)";
            return false;
        }
        error = "";
        return true;
    }

    private static bool TryParseHttp(string rest, bool tls, out UpstreamUrl? url, out string error)
    {
        url = null;
        if (!UrlSyntax.TryParseAuthority(rest, tls ? DefaultTlsPort : DefaultHttpPort, out var host, out int port, out int end, out error))
        {
            return false;
        }
        var template = rest[end..];
        if (!template.StartsWith('/'))
        {
            error = "needs a path holding {stream}, e.g. http://host/{app}/{stream}.flv";
            return false;
        }
        if (!TryCheckTemplate(template, out error))
        {
            return false;
        }
        url = new UpstreamUrl(UpstreamProtocol.HttpFlv, tls, host, port, null, template);
        return true;
    }

    private static bool TryCheckTemplate(string template, out string error)
    {
        bool hasStream = false;
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{')
            {
                var tail = template.AsSpan(i);
                if (tail.StartsWith(StreamPlaceholder))
                {
                    hasStream = true;
                    i += StreamPlaceholder.Length - 1;
                    continue;
                }
                if (tail.StartsWith(AppPlaceholder))
                {
                    i += AppPlaceholder.Length - 1;
                    continue;
                }
                error = "has an unknown placeholder (only {stream} and {app})";
                return false;
            }
            if (c == '#')
            {
                error = "must not carry a fragment ('#')";
                return false;
            }
            if (!UrlSyntax.IsPathCharacter(template, i))
            {
                error = c == '%' ? "has a '%' not followed by two hex digits" : $"has a character not allowed in a URL path: '{c}'";
                return false;
            }
        }
        if (!hasStream)
        {
            error = "needs {stream} in its path, e.g. http://host/{app}/{stream}.flv";
            return false;
        }
        error = "";
        return true;
    }
}
