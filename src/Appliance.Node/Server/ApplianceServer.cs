using Appliance.Node.Hosting;
using Appliance.Relay.Hosting;
using System.Net;
using Appliance.Node.Config;
using Appliance.Node.ControlSocket;
using Appliance.Control.Contract;
using Appliance.Node.Http;
using Appliance.Node.Logging;
using Appliance.Streaming.Media;
using Appliance.Node.Rtmp;
using Appliance.Node.Sessions;
using Appliance.Streaming.Streams;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;
using Appliance.Node.Tls;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Server;

/// <summary>The node: its listeners, streams and sessions, built from a config.</summary>
public sealed partial class ApplianceServer : IAsyncDisposable, INodeAdmin
{
    private readonly TcpAcceptor _rtmp;
    private readonly TcpAcceptor _http;
    private readonly TcpAcceptor? _admin;
    private readonly TcpAcceptor? _https;
    private readonly TcpAcceptor? _rtmps;
    private readonly SessionTable _sessions = new();
    private readonly Timer _rateSweeper;
    private readonly Timer _hlsSweeper;
    private readonly Timer _renditionSweeper;
    private readonly ControlServer? _control;
    private readonly TaskCompletionSource<TimeSpan> _drainRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acceptorsStopped;

    private static readonly byte[] ServiceUnavailable =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nunavailable\n"u8.ToArray();

    /// <param name="configPath">The file `reload` reads again; null for the embedded default (reload then refuses).</param>
    public ApplianceServer(ApplianceConfig config, ILoggerFactory loggers, string? configPath = null)
    {
        ConfigPath = configPath;
        var streams = new StreamRegistry(new FrameSerializer(config.Rtmp.ChunkSize), loggers.CreateLogger("streams"),
            new Streaming.Packaging.SegmentCache(config.Cache.MaxBytes))
        {
            HlsKeys = config.Security.HlsKeySecret is { } hlsKeySecret ? new Streaming.Packaging.Hls.HlsKeyring(Convert.FromHexString(hlsKeySecret)) : null,
        };
        Context = new ServerContext(config, streams, _sessions, loggers);
        Context.Transcoders = new Transcoding.TranscodeManager(() => Context.Config, streams, Context.InternalPublishers, loggers.CreateLogger("ladder"));
        var relay = new Relay.Hosting.RelayServices(Context.NodeId, streams, Context.Traffic, Context.AccessLog, loggers)
        {
            Trust = OutboundTls.Open(config),
            PullEvents = new Webhooks.PullWebhooks(Context.Webhooks),
            Maker = Context.Transcoders,
        };
        Context.Relay = new Relay.RelayManager(relay, RelayApps.Of(config), config.Directory);
        Context.Push = new Relay.Push.PushManager(relay);
        ConfigValidator.TryParseEndPoint(config.Rtmp.Listen, out var rtmpEndPoint);
        ConfigValidator.TryParseEndPoint(config.Http.Listen, out var httpEndPoint);
        var opened = new List<TcpAcceptor>();
        // Plain RTMP and HTTP connections (viewers' output) write through it; TLS has its own sink.
        Context.Send = SendTransport.Open(config.Transport, Context.Logger);
        var ring = Context.Send.Ring;
        try
        {
            _rtmp = ListenerException.Open("rtmp.listen", rtmpEndPoint, c => AdmitAsync(c, "rtmp", () => new RtmpServerSession(c, Context)), ring);
            opened.Add(_rtmp);
            _http = ListenerException.Open("http.listen", httpEndPoint, c => AdmitAsync(c, "http", () => new HttpServerSession(c, Context, this)), ring);
            opened.Add(_http);
            Context.Certificates = NodeCertificates.Open(config, Context.Logger);
            if (Context.Certificates is { } certificates)
            {
                _https = OpenTls("https.listen", config.Https.Listen, certificates, "https",
                    c => AdmitAsync(c, "https", () => new HttpServerSession(c, Context, this, listener: "https")));
                AddIfOpen(opened, _https);
                _rtmps = OpenTls("rtmps.listen", config.Rtmps.Listen, certificates, "rtmps",
                    c => AdmitAsync(c, "rtmps", () => new RtmpServerSession(c, Context, listener: "rtmps")));
                AddIfOpen(opened, _rtmps);
            }
            if (config.Admin.Listen.Length > 0 && config.Admin.Tls)
            {
                // HTTPS with the listeners' certificates (validation made sure there is one).
                _admin = OpenTls("admin.listen", config.Admin.Listen, Context.Certificates!, "admin",
                    c => AdmitAsync(c, "admin", () => new HttpServerSession(c, Context, this, admin: true)));
                opened.Add(_admin!);
            }
            else if (config.Admin.Listen.Length > 0)
            {
                ConfigValidator.TryParseEndPoint(config.Admin.Listen, out var adminEndPoint);
                _admin = ListenerException.Open("admin.listen", adminEndPoint, c => AdmitAsync(c, "admin", () => new HttpServerSession(c, Context, this, admin: true)));
                opened.Add(_admin);
                _admin.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "admin", "accept");
            }
            _srt = OpenSrt(config.Srt, Context.Logger);
            _control = config.Control.Socket switch
            {
                "off" => null,
                "" => DefaultControlSocket.Open(ControlSocketLocation.Candidates(Environment.GetEnvironmentVariable, Environment.CurrentDirectory),
                    new ControlCommands(this), loggers.CreateLogger("control")),
                var path => ListenerException.Open("control.socket", path, () => new ControlServer(path, new ControlCommands(this), loggers.CreateLogger("control"))),
            };
        }
        catch
        {
            // The daemon exits on this, but an embedding process (tests) must get its ports back.
            foreach (var acceptor in opened)
            {
                acceptor.StopAccepting();
            }
            _srt?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Context.Send.Dispose();
            throw;
        }
        _rateSweeper = new Timer(_ =>
        {
            Context.RequestRates.Sweep();
            // A burst of refusals that stopped gets its count line now, not at the next refusal.
            Context.HeldRequests.Refusals.Flush();
        }, null, 30_000, 30_000);
        // Once a second: HLS windows are 10 s or more, so a session ends at most a tenth late.
        _hlsSweeper = new Timer(_ => Context.HlsSessions.Sweep(), null, 1000, 1000);
        // Every segment target (2 s by default): a rendition drifting out of alignment is noticed within a segment or two.
        _renditionSweeper = new Timer(_ => Context.Renditions.Sweep(Context.Config), null, 2000, 2000);
        _rtmp.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "rtmp", "accept");
        _http.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, "http", "accept");
    }

    /// <summary>A TLS listener when its key is set; each failed handshake is one log line naming the listener and the peer.</summary>
    private TcpAcceptor? OpenTls(string key, string listen, NodeCertificates certificates, string listener, Func<TlsConnection, Task> handler)
    {
        if (listen.Length == 0)
        {
            return null;
        }
        ConfigValidator.TryParseEndPoint(listen, out var endPoint);
        var options = new TlsListenerOptions(certificates.Store, http: listener is "https" or "admin", TimeSpan.FromMilliseconds(Context.Config.Deadlines.HandshakeMs))
        {
            HandshakeFailed = (client, reason) => TlsLog.HandshakeFailed(Context.Logger, listener, client, reason),
        };
        var acceptor = ListenerException.Open(key, endPoint, () => TlsAcceptor.Create(endPoint, options, handler));
        acceptor.AcceptError = ex => LiveLog.SessionFailed(Context.Logger, ex, listener, "accept");
        return acceptor;
    }

    private static void AddIfOpen(List<TcpAcceptor> opened, TcpAcceptor? acceptor)
    {
        if (acceptor is not null)
        {
            opened.Add(acceptor);
        }
    }

    public ServerContext Context { get; }

    /// <summary>The HTTPS listener's address; null when https.listen is empty.</summary>
    public IPEndPoint? HttpsEndPoint => _https?.LocalEndPoint;

    /// <summary>The RTMPS listener's address; null when rtmps.listen is empty.</summary>
    public IPEndPoint? RtmpsEndPoint => _rtmps?.LocalEndPoint;

    public string? ConfigPath { get; }

    public IPEndPoint RtmpEndPoint => _rtmp.LocalEndPoint;

    public IPEndPoint HttpEndPoint => _http.LocalEndPoint;

    public string? ControlSocketPath => _control?.Path;

    /// <summary>Completes with the timeout when an operator asks the node to drain (control socket).</summary>
    public Task<TimeSpan> DrainRequested => _drainRequested.Task;

    public IReadOnlyList<(string Name, string Address)> Listeners
    {
        get
        {
            var listeners = new List<(string, string)> { ("rtmp", RtmpEndPoint.ToString()), ("http", HttpEndPoint.ToString()) };
            if (_https is not null)
            {
                listeners.Add(("https", _https.LocalEndPoint.ToString()));
            }
            if (_rtmps is not null)
            {
                listeners.Add(("rtmps", _rtmps.LocalEndPoint.ToString()));
            }
            if (_admin is not null)
            {
                listeners.Add(("admin", _admin.LocalEndPoint.ToString()));
            }
            if (_srt is not null)
            {
                listeners.Add(("srt", _srt.LocalEndPoint.ToString()));
            }
            if (_control is not null)
            {
                listeners.Add(("control", _control.Path));
            }
            return listeners;
        }
    }

    /// <summary>
    /// Counts the connection against the limits and runs its session, or refuses it (HTTP with a
    /// 503) before any session exists. An admitted session gives its place back itself when it
    /// ends, so no frame of this method (nor a delegate it was given) is held for as long as the
    /// connection lives: a viewer's connection lives for hours.
    /// </summary>
    private Task AdmitAsync(Core.Connections.IConnection connection, string listener, Func<SessionBase> create)
    {
        var limits = Context.Config.Limits;
        var address = connection.RemoteEndPoint?.Address;
        // The admin listener is for operators and scrapers; a flood of viewers must not lock them out.
        var counted = listener != "admin";
        var refusal = counted ? Context.Connections.TryEnter(address, limits.MaxConnections, limits.MaxConnectionsPerIp) : null;
        if (refusal is not null)
        {
            return RefuseAsync(connection, listener, refusal);
        }
        Context.Traffic.OnAccepted(listener);
        SessionBase session;
        try
        {
            session = create();
        }
        catch
        {
            if (counted)
            {
                Context.Connections.Leave(address);
            }
            throw;
        }
        if (counted)
        {
            session.HoldAdmission(Context.Connections, address);
        }
        return session.RunAsync();
    }

    private async Task RefuseAsync(Core.Connections.IConnection connection, string listener, string refusal)
    {
        Context.Traffic.OnRefused(listener);
        LiveLog.Rejected(Context.Logger, listener, connection.RemoteEndPoint?.ToString() ?? "unknown", refusal);
        if (listener is not ("http" or "https"))
        {
            return;
        }
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

    public void Start()
    {
        _rtmp.Start();
        _http.Start();
        _https?.Start();
        _rtmps?.Start();
        _admin?.Start();
        _srt?.Start();
        _control?.Start();
        Context.Relay!.Start();
        Context.Transcoders!.Start(RtmpEndPoint);
        LiveLog.Listening(Context.Logger, "rtmp", RtmpEndPoint.ToString());
        LiveLog.Listening(Context.Logger, "http", HttpEndPoint.ToString());
        if (_https is not null)
        {
            LiveLog.Listening(Context.Logger, "https", _https.LocalEndPoint.ToString());
        }
        if (_rtmps is not null)
        {
            LiveLog.Listening(Context.Logger, "rtmps", _rtmps.LocalEndPoint.ToString());
        }
        if (_admin is not null)
        {
            LiveLog.Listening(Context.Logger, "admin", _admin.LocalEndPoint.ToString());
        }
        if (_srt is not null)
        {
            LiveLog.Listening(Context.Logger, "srt", _srt.LocalEndPoint.ToString());
        }
        if (_control is not null)
        {
            LiveLog.Listening(Context.Logger, "control", _control.Path);
        }
    }

    /// <summary>Upstream candidates and their health (empty until an app pulls).</summary>
    public List<RouteReport> Routes() => Context.Relay!.Routes.Snapshot().Select(RouteReports.From).ToList();

    public void RequestDrain(TimeSpan timeout) => _drainRequested.TrySetResult(timeout);

    /// <summary>
    /// Stops accepting viewers and publishers, then waits until the last viewer has left or the
    /// timeout passes. The admin listener and control socket stay up so operators can watch.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Context.Draining = true;
        await StopAcceptingAsync().ConfigureAwait(false);
        var deadline = Core.Time.MonotonicClock.NowMs + (long)timeout.TotalMilliseconds;
        var viewers = CountViewers();
        LiveLog.Draining(Context.Logger, viewers, (int)timeout.TotalSeconds);
        while (viewers > 0 && Core.Time.MonotonicClock.NowMs < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
            viewers = CountViewers();
        }
        LiveLog.Drained(Context.Logger, viewers);
    }

    private int CountViewers()
    {
        // HLS players stop counting a window after their last request (none come on new connections now).
        var viewers = Context.HlsSessions.Count;
        foreach (var session in _sessions.Sessions)
        {
            viewers += session.IsViewer ? 1 : 0;
        }
        return viewers;
    }

    private async Task StopAcceptingAsync()
    {
        if (Interlocked.Exchange(ref _acceptorsStopped, 1) == 0)
        {
            await _rtmp.DisposeAsync().ConfigureAwait(false);
            await _http.DisposeAsync().ConfigureAwait(false);
            if (_https is not null)
            {
                await _https.DisposeAsync().ConfigureAwait(false);
            }
            if (_rtmps is not null)
            {
                await _rtmps.DisposeAsync().ConfigureAwait(false);
            }
            if (_srt is not null)
            {
                await _srt.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _rateSweeper.DisposeAsync().ConfigureAwait(false);
        await _hlsSweeper.DisposeAsync().ConfigureAwait(false);
        await _renditionSweeper.DisposeAsync().ConfigureAwait(false);
        await StopAcceptingAsync().ConfigureAwait(false);
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }
        await Context.Transcoders!.DisposeAsync().ConfigureAwait(false);
        await Context.Relay!.DisposeAsync().ConfigureAwait(false);
        await Context.Push!.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Sessions)
        {
            session.Abort("server stopping");
        }
        _sessions.Dispose();
        Context.HlsSessions.EndWhere(static _ => true, "server stopping");
        await Context.Webhooks.DisposeAsync().ConfigureAwait(false);
        await Context.AccessLog.DisposeAsync().ConfigureAwait(false);
        // Last: the aborted sessions' sends complete (failed) through it.
        Context.Send.Dispose();
    }
}
