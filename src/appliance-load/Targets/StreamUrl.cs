using System.Text;

namespace Appliance.Load.Targets;

internal enum StreamProtocol
{
    Rtmp,
    HttpFlv,
    HttpTs,
    Hls,

    /// <summary>LL-HLS: a multivariant or media playlist named llhls.m3u8 or *-ll.m3u8.</summary>
    LlHls,

    /// <summary>DASH, low latency when the MPD says so (/app/stream.mpd?ll=1).</summary>
    Dash,
}

/// <summary>
/// A stream to watch: rtmp://host[:port]/app/stream[?query], or http://host[:port]/app/stream.flv,
/// .ts, .m3u8 or .mpd (live FLV, live TS, HLS media playlist, DASH), each with an optional query;
/// rtmps:// and https:// are the same over TLS (port 443 unless given).
/// A playlist named llhls.m3u8 or ending in -ll.m3u8 (the node's LL-HLS names) is played as LL-HLS.
/// </summary>
internal sealed class StreamUrl
{
    private StreamUrl(Uri uri, string text, StreamProtocol protocol, bool tls, string host, int port, string authority, string app, string streamName, string pathAndQuery)
    {
        IsTls = tls;
        Uri = uri;
        Text = text;
        Protocol = protocol;
        Host = host;
        Port = port;
        Authority = authority;
        App = app;
        StreamName = streamName;
        PathAndQuery = pathAndQuery;
        ConnectHost = host;
    }

    public string Text { get; }

    /// <summary>The parsed URL: HLS segment URIs are resolved against it.</summary>
    public Uri Uri { get; }

    public StreamProtocol Protocol { get; }

    /// <summary>rtmps:// or https://: the connection is TLS (see LoadConnector).</summary>
    public bool IsTls { get; }

    /// <summary>The host as written, without IPv6 brackets.</summary>
    public string Host { get; }

    /// <summary>What sockets connect to: <see cref="Host"/>, or its address once resolved.</summary>
    public string ConnectHost { get; set; }

    public int Port { get; }

    /// <summary>host[:port] as written, for the Host header and tcUrl.</summary>
    public string Authority { get; }

    /// <summary>RTMP application (the first path segment).</summary>
    public string App { get; }

    /// <summary>RTMP play name: the rest of the path with the query (tokens ride there).</summary>
    public string StreamName { get; }

    public string PathAndQuery { get; }

    public string TcUrl => $"{(IsTls ? "rtmps" : "rtmp")}://{Authority}/{App}";

    /// <summary>The GET of a live body (FLV, TS): it runs until the connection closes.</summary>
    public byte[] HttpRequest => GetRequest(PathAndQuery, keepAlive: false);

    /// <summary>
    /// A GET of <paramref name="pathAndQuery"/> on this URL's server; HLS players keep the connection.
    /// With a <paramref name="player"/> number the User-Agent is that player's own (<see cref="PlayerAgent"/>),
    /// so the node tells HLS players apart.
    /// </summary>
    public byte[] GetRequest(string pathAndQuery, bool keepAlive, int player = -1) => Encoding.ASCII.GetBytes(
        $"GET {pathAndQuery} HTTP/1.1\r\nHost: {Authority}\r\nUser-Agent: {PlayerAgent.Of(player)}\r\nAccept: */*\r\n{(keepAlive ? "" : "Connection: close\r\n")}\r\n");

    /// <summary>
    /// The path and query of <paramref name="reference"/> (a URI line of a playlist) resolved against
    /// this URL; null when it points at another server, where the load must not follow it.
    /// </summary>
    public string? ResolveOnSameServer(string reference) => ResolveOnSameServer(Uri, reference);

    /// <summary>As <see cref="ResolveOnSameServer(string)"/>, against <paramref name="baseUri"/> (a playlist the URL led to).</summary>
    public string? ResolveOnSameServer(Uri baseUri, string reference)
    {
        if (!Uri.TryCreate(baseUri, reference, out var resolved) || resolved.Scheme != Uri.Scheme
            || !string.Equals(resolved.Authority, Uri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return resolved.PathAndQuery;
    }

    public static bool TryParse(string text, out StreamUrl url, out string problem)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            problem = "not an absolute URL";
            return false;
        }
        StreamProtocol protocol;
        int defaultPort;
        switch (uri.Scheme)
        {
            case "rtmp":
                protocol = StreamProtocol.Rtmp;
                defaultPort = 1935;
                break;
            case "http":
                protocol = StreamProtocol.HttpFlv;
                defaultPort = 80;
                break;
            case "rtmps":
                protocol = StreamProtocol.Rtmp;
                defaultPort = 443;
                break;
            case "https":
                protocol = StreamProtocol.HttpFlv;
                defaultPort = 443;
                break;
            default:
                problem = $"scheme '{uri.Scheme}' is not rtmp, rtmps, http or https";
                return false;
        }
        var path = uri.AbsolutePath;
        var slash = path.IndexOf('/', 1);
        if (slash <= 1 || slash == path.Length - 1)
        {
            problem = "the path must be /app/stream";
            return false;
        }
        var app = path[1..slash];
        var name = path[(slash + 1)..];
        if (protocol == StreamProtocol.HttpFlv)
        {
            if (name.EndsWith(".ts", StringComparison.Ordinal))
            {
                protocol = StreamProtocol.HttpTs;
            }
            else if (name.EndsWith(".m3u8", StringComparison.Ordinal))
            {
                var file = name[(name.LastIndexOf('/') + 1)..];
                protocol = file is "llhls.m3u8" || file.EndsWith("-ll.m3u8", StringComparison.Ordinal) ? StreamProtocol.LlHls : StreamProtocol.Hls;
            }
            else if (name.EndsWith(".mpd", StringComparison.Ordinal))
            {
                protocol = StreamProtocol.Dash;
            }
            else if (!name.EndsWith(".flv", StringComparison.Ordinal))
            {
                problem = "an http URL must name a live stream: /app/stream.flv (HTTP-FLV), .ts (HTTP-TS), .m3u8 (HLS; LL-HLS when named llhls.m3u8 or *-ll.m3u8) or .mpd (DASH)";
                return false;
            }
        }
        var port = uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port;
        var host = uri.DnsSafeHost;
        var authority = uri.Authority;
        url = new StreamUrl(uri, text, protocol, uri.Scheme is "rtmps" or "https", host, port, authority, app, name + uri.Query, uri.PathAndQuery);
        problem = "";
        return true;
    }
}
