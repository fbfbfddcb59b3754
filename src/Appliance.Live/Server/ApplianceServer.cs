using System.Net;
using Appliance.Live.Config;
using Appliance.Live.Http;
using Appliance.Live.Logging;
using Appliance.Live.Media;
using Appliance.Live.Rtmp;
using Appliance.Live.Sessions;
using Appliance.Live.Streams;
using Appliance.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Server;

/// <summary>The node: its listeners, streams and sessions, built from a config.</summary>
public sealed class ApplianceServer : IAsyncDisposable
{
    private readonly TcpAcceptor _rtmp;
    private readonly TcpAcceptor _http;
    private readonly SessionTable _sessions = new();

    public ApplianceServer(ApplianceConfig config, ILoggerFactory loggers)
    {
        var streams = new StreamRegistry(new FrameSerializer(config.Rtmp.ChunkSize), loggers.CreateLogger("streams"),
            new Packaging.SegmentCache(config.Cache.MaxBytes));
        Context = new ServerContext(config, streams, _sessions, loggers);
        ConfigValidator.TryParseEndPoint(config.Rtmp.Listen, out var rtmpEndPoint);
        ConfigValidator.TryParseEndPoint(config.Http.Listen, out var httpEndPoint);
        _rtmp = new TcpAcceptor(rtmpEndPoint, c => new RtmpServerSession(c, Context).RunAsync());
        _http = new TcpAcceptor(httpEndPoint, c => new HttpServerSession(c, Context).RunAsync());
        _rtmp.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "rtmp", "accept");
        _http.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "http", "accept");
    }

    public ServerContext Context { get; }

    public IPEndPoint RtmpEndPoint => _rtmp.LocalEndPoint;

    public IPEndPoint HttpEndPoint => _http.LocalEndPoint;

    public void Start()
    {
        _rtmp.Start();
        _http.Start();
        LiveLog.Listening(Context.Logger, "rtmp", RtmpEndPoint.ToString());
        LiveLog.Listening(Context.Logger, "http", HttpEndPoint.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _rtmp.DisposeAsync().ConfigureAwait(false);
        await _http.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Sessions)
        {
            session.Abort("server stopping");
        }
        _sessions.Dispose();
    }
}
