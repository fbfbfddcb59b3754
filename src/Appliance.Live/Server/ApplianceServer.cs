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
    private readonly Timer _rateSweeper;

    private static readonly byte[] ServiceUnavailable =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nunavailable\n"u8.ToArray();

    public ApplianceServer(ApplianceConfig config, ILoggerFactory loggers)
    {
        var streams = new StreamRegistry(new FrameSerializer(config.Rtmp.ChunkSize), loggers.CreateLogger("streams"),
            new Packaging.SegmentCache(config.Cache.MaxBytes));
        Context = new ServerContext(config, streams, _sessions, loggers);
        ConfigValidator.TryParseEndPoint(config.Rtmp.Listen, out var rtmpEndPoint);
        ConfigValidator.TryParseEndPoint(config.Http.Listen, out var httpEndPoint);
        _rtmp = new TcpAcceptor(rtmpEndPoint, c => AdmitAsync(c, "rtmp", () => new RtmpServerSession(c, Context).RunAsync()));
        _http = new TcpAcceptor(httpEndPoint, c => AdmitAsync(c, "http", () => new HttpServerSession(c, Context).RunAsync()));
        _rateSweeper = new Timer(_ => Context.RequestRates.Sweep(), null, 30_000, 30_000);
        _rtmp.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "rtmp", "accept");
        _http.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "http", "accept");
    }

    public ServerContext Context { get; }

    public IPEndPoint RtmpEndPoint => _rtmp.LocalEndPoint;

    public IPEndPoint HttpEndPoint => _http.LocalEndPoint;

    /// <summary>Counts the connection against the limits, or refuses it (HTTP with a 503) before any session exists.</summary>
    private async Task AdmitAsync(SocketConnection connection, string protocol, Func<Task> run)
    {
        var limits = Context.Config.Limits;
        var address = connection.RemoteEndPoint?.Address;
        var refusal = Context.Connections.TryEnter(address, limits.MaxConnections, limits.MaxConnectionsPerIp);
        if (refusal is not null)
        {
            LiveLog.Rejected(Context.Logger, protocol, connection.RemoteEndPoint?.ToString() ?? "unknown", refusal);
            if (protocol == "http")
            {
                var reply = Core.Buffers.SharedBuffer.CopyOf(ServiceUnavailable);
                try
                {
                    await connection.Output.WriteAsync(new[] { new Core.Buffers.BufferSlice(reply) }, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
                {
                }
                finally
                {
                    reply.Release();
                }
            }
            return;
        }
        try
        {
            await run().ConfigureAwait(false);
        }
        finally
        {
            Context.Connections.Leave(address);
        }
    }

    public void Start()
    {
        _rtmp.Start();
        _http.Start();
        LiveLog.Listening(Context.Logger, "rtmp", RtmpEndPoint.ToString());
        LiveLog.Listening(Context.Logger, "http", HttpEndPoint.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _rateSweeper.DisposeAsync().ConfigureAwait(false);
        await _rtmp.DisposeAsync().ConfigureAwait(false);
        await _http.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Sessions)
        {
            session.Abort("server stopping");
        }
        _sessions.Dispose();
    }
}
