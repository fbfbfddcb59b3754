using System.Text;

namespace Appliance.Load.Targets;

internal enum StreamProtocol
{
    Rtmp,
    HttpFlv,
}

/// <summary>A stream to watch: rtmp://host[:port]/app/stream[?query] or http://host[:port]/app/stream.flv[?query].</summary>
internal sealed class StreamUrl
{
    private StreamUrl(string text, StreamProtocol protocol, string host, int port, string authority, string app, string streamName, string pathAndQuery)
    {
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

    public StreamProtocol Protocol { get; }

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

    public string TcUrl => $"rtmp://{Authority}/{App}";

    public byte[] HttpRequest => Encoding.ASCII.GetBytes(
        $"GET {PathAndQuery} HTTP/1.1\r\nHost: {Authority}\r\nUser-Agent: appliance-load\r\nAccept: */*\r\nConnection: close\r\n\r\n");

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
            default:
                problem = $"scheme '{uri.Scheme}' is not rtmp or http";
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
        if (protocol == StreamProtocol.HttpFlv && !name.EndsWith(".flv", StringComparison.Ordinal))
        {
            problem = "an http URL must name a live FLV stream (/app/stream.flv)";
            return false;
        }
        var port = uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port;
        var host = uri.DnsSafeHost;
        var authority = uri.Authority;
        url = new StreamUrl(text, protocol, host, port, authority, app, name + uri.Query, uri.PathAndQuery);
        problem = "";
        return true;
    }
}
