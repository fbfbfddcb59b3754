using Appliance.Auth;
using Appliance.Node.Config;
using Appliance.Node.Limits;
using Appliance.Node.Renditions;
using Appliance.Node.Player;
using Appliance.Streaming.Logging;
using Appliance.Node.Sessions;
using Appliance.Node.Webhooks;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Hosting;

/// <summary>What every session needs from the node: config, streams, sessions, logs.</summary>
public sealed class ServerContext : ISessionHost
{
    private volatile ApplianceConfig _config;
    private volatile DomainTable _domains;
    private volatile AppPolicies _policies;
    private volatile PlayerFiles _player;

    public ServerContext(ApplianceConfig config, StreamRegistry streams, SessionTable sessions, ILoggerFactory loggers)
    {
        _config = config;
        _domains = new DomainTable(config);
        _policies = new AppPolicies(config.Domains.SelectMany(d => d.Apps).Select(a => a.Auth), TimeProvider.System);
        SessionTokens = new HlsSessionToken(SecretOf(config), TimeProvider.System);
        Streams = streams;
        Sessions = sessions;
        Logger = loggers.CreateLogger("appliance");
        HeldRequests = new HeldRequestLimiter(Logger);
        AdminRefusals = new RepeatedLog(Logger, LogLevel.Warning, "admin api", "requests refused for their bearer token");
        AccessLog = new AccessLog(config.Log.AccessFile, loggers.CreateLogger("access"));
        HlsSessions = new HlsSessionTable(AccessLog);
        Renditions = new RenditionGroups(streams, Logger);
        NodeId = string.IsNullOrEmpty(config.Node.Id) ? Environment.MachineName : config.Node.Id;
        RtmpAddress = ConfigValidator.TryParseEndPoint(config.Rtmp.Listen, out var rtmp) ? rtmp.Address : null;
        Webhooks = new WebhookHub(config, NodeId, loggers.CreateLogger("webhooks"));
        // An HLS player is a session without a connection: its first request is its play, its window's end its stop.
        HlsSessions.Started += session => session.Webhooks =
            SessionWebhooks.Start(Webhooks, WebhookEventNames.Play, session.Stream.Key, session.Id, "hls", session.Client, query: null);
        HlsSessions.Ended += (session, reason) => session.Webhooks?.End(bytesIn: 0, session.BytesOut, reason);
        _player = PlayerFiles.Load(config.Http.PlayerDir);
        PlayerLog.Report(Logger, _player);
    }

    /// <summary>The config new sessions use; existing sessions keep the one they started with.</summary>
    public ApplianceConfig Config => _config;

    public DomainTable Domains => _domains;

    /// <summary>Each app's access policy under the current config.</summary>
    public AppPolicies Policies => _policies;

    public AuthStats Auth { get; } = new();

    public ConnectionLimiter Connections { get; } = new();

    public RequestRateLimiter RequestRates { get; } = new();

    /// <summary>CMAF requests held per client address (limits.maxHeldRequestsPerIp).</summary>
    public HeldRequestLimiter HeldRequests { get; }

    public HlsSessionToken SessionTokens { get; }

    /// <summary>The one-time credentials the node's transcoders publish their rungs with.</summary>
    public InternalPublishTokens InternalPublishers { get; } = new(TimeProvider.System);

    /// <summary>The address the RTMP listener is bound to (rtmp.listen, restart-bound): a child reaching it from there is on this host.</summary>
    public System.Net.IPAddress? RtmpAddress { get; }

    public StreamRegistry Streams { get; }

    public SessionTable Sessions { get; }

    /// <summary>HLS players as sessions (they have no connection of their own); swept by the server's timer.</summary>
    public HlsSessionTable HlsSessions { get; }

    /// <summary>Rendition groups: their live renditions, what their playlists last found of each; swept by the server's timer.</summary>
    public RenditionGroups Renditions { get; }

    public ILogger Logger { get; }

    /// <summary>
    /// Refusals of the command API's bearer token, logged in full once per interval and otherwise
    /// counted: guessing tokens must not be a way to fill the node's disk with log lines.
    /// </summary>
    public RepeatedLog AdminRefusals { get; }

    /// <summary>The player page's scripts, as read at start or at the last reload.</summary>
    public PlayerFiles Player => _player;

    /// <summary>Where finished sessions are written: a file, or the console log.</summary>
    public AccessLog AccessLog { get; }

    public Transport.Accounting.TrafficTotals Traffic { get; } = new();

    /// <summary>SRT's packet counters of finished SRT sessions, for /metrics.</summary>
    public SrtTotals Srt { get; } = new();

    /// <summary>How the node writes to sockets (transport.send), set once at start.</summary>
    public SendTransport Send { get; set; } = SendTransport.Epoll;

    /// <summary>Each app's event webhooks under the current config.</summary>
    public WebhookHub Webhooks { get; }

    /// <summary>Upstream routes and pulls; null for a bare context (unit tests).</summary>
    public Relay.RelayManager? Relay { get; internal set; }

    /// <summary>Forwarding of published streams to push targets; null for a bare context (unit tests).</summary>
    public Relay.Push.PushManager? Push { get; internal set; }

    /// <summary>The transcoders of apps with a ladder; null for a bare context (unit tests).</summary>
    public Transcoding.TranscodeManager? Transcoders { get; internal set; }

    /// <summary>The TLS listeners' certificates; null when no https.listen or rtmps.listen is set.</summary>
    public Tls.NodeCertificates? Certificates { get; internal set; }


    /// <summary>This node's name in the CDN (node.id, else the host name); fixed until restart.</summary>
    public string NodeId { get; }

    /// <summary>When the node started (monotonic ms): the one clock every uptime it reports counts from.</summary>
    public long StartedMs { get; } = Core.Time.MonotonicClock.NowMs;

    /// <summary>Set when the node stops accepting and waits for its viewers to leave.</summary>
    public bool Draining { get; set; }

    public static string Version { get; } =
        typeof(ServerContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute attribute, ..]
            ? attribute.InformationalVersion.Split('+')[0]
            : "0.0.0";

    /// <summary>The role status shows: configured, or "edge" when an app pulls from upstream, else "origin".</summary>
    public string Role => _config.Node.Role is { Length: > 0 } role ? role
        : _config.Domains.Any(d => d.Apps.Any(a => a.Upstreams.Count > 0)) ? "edge" : "origin";

    public void Apply(ApplianceConfig config)
    {
        _policies = new AppPolicies(config.Domains.SelectMany(d => d.Apps).Select(a => a.Auth), TimeProvider.System);
        _domains = new DomainTable(config);
        Webhooks.Apply(config);
        if (config.Log.AccessFile != AccessLog.Path)
        {
            AccessLog.Reopen(config.Log.AccessFile);
        }
        _config = config;
        // Read again at each reload, so files installed (or fixed) after start need no restart.
        var player = PlayerFiles.Load(config.Http.PlayerDir);
        PlayerLog.Report(Logger, player);
        Interlocked.Exchange(ref _player, player).Dispose();
    }

    private static byte[]? SecretOf(ApplianceConfig config) =>
        config.Security.SessionSecret is { } hex ? Convert.FromHexString(hex) : null;
}
