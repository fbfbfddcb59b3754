namespace Appliance.Live.Config;

/// <summary>The whole configuration. Every default here is the embedded default config.</summary>
public sealed class ApplianceConfig
{
    public RtmpConfig Rtmp { get; set; } = new();

    public HttpConfig Http { get; set; } = new();

    public DeadlineConfig Deadlines { get; set; } = new();

    public LogConfig Log { get; set; } = new();

    public CacheConfig Cache { get; set; } = new();

    public SecurityConfig Security { get; set; } = new();

    public LimitsConfig Limits { get; set; } = new();

    public NodeConfig Node { get; set; } = new();

    public ControlConfig Control { get; set; } = new();

    public AdminConfig Admin { get; set; } = new();

    /// <summary>The optional stream directory on Redis (off unless <c>directory.redis</c> is set).</summary>
    public DirectoryConfig Directory { get; set; } = new();

    public List<DomainConfig> Domains { get; set; } = [new DomainConfig()];
}

public sealed class RtmpConfig
{
    /// <summary>host:port; "0.0.0.0:1935", "[::]:1935" or "127.0.0.1:0" (any free port).</summary>
    public string Listen { get; set; } = "0.0.0.0:1935";

    /// <summary>Outgoing chunk size, shared by every player (their chunk bytes are serialized once).</summary>
    public int ChunkSize { get; set; } = 4096;

    /// <summary>Largest RTMP message a peer may announce; larger closes the connection.</summary>
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;
}

public sealed class HttpConfig
{
    public string Listen { get; set; } = "0.0.0.0:8080";

    public int MaxRequestLineBytes { get; set; } = 8192;

    public int MaxHeaderBytes { get; set; } = 16384;

    public int MaxHeaderCount { get; set; } = 64;
}

public sealed class DeadlineConfig
{
    /// <summary>From accept until the RTMP handshake is done.</summary>
    public int HandshakeMs { get; set; } = 10_000;

    /// <summary>From accept (or the previous response) until an HTTP request head is complete.</summary>
    public int RequestHeaderMs { get; set; } = 10_000;

    /// <summary>A publisher, or an RTMP connection that neither publishes nor plays, sending nothing.</summary>
    public int IdleMs { get; set; } = 30_000;

    /// <summary>A write to a viewer that makes no progress for this long closes the viewer.</summary>
    public int SendStallMs { get; set; } = 15_000;
}

public sealed class LogConfig
{
    /// <summary>trace, debug, info, warn, error.</summary>
    public string Level { get; set; } = "info";

    /// <summary>File that gets one line per finished session; empty = the access lines go to the console log. Reopened on SIGUSR1.</summary>
    public string AccessFile { get; set; } = "";
}

public sealed class DomainConfig
{
    /// <summary>The host name this domain serves; "default" also catches every unknown host.</summary>
    public string Name { get; set; } = "default";

    public List<string> Aliases { get; set; } = [];

    public List<AppConfig> Apps { get; set; } = [new AppConfig()];
}

public sealed class AppConfig
{
    public string Name { get; set; } = "live";

    /// <summary>A new viewer starts at the last keyframe with everything since.</summary>
    public bool GopCache { get; set; } = true;

    /// <summary>"refuse" a second publisher of a live stream, or let it "takeover".</summary>
    public string OnPublisherConflict { get; set; } = "refuse";

    /// <summary>How long viewers wait for a publisher that dropped to come back.</summary>
    public int PublisherGraceMs { get; set; } = 10_000;

    /// <summary>
    /// A joining viewer starts at a keyframe at least this much media before live (one GOP further
    /// back when the newest keyframe is too recent), so its player has a buffer and does not stall
    /// at once; 0 starts at the newest keyframe, for the lowest latency.
    /// </summary>
    public int JoinBufferMs { get; set; } = 1000;

    /// <summary>A viewer is written at most this often, merging frames into one write; 0 writes at once.</summary>
    public int FlushIntervalMs { get; set; } = 0;

    /// <summary>A viewer this far behind live skips to the newest keyframe.</summary>
    public int MaxViewerLagMs { get; set; } = 5_000;

    /// <summary>A viewer that has to skip this many times in a minute is closed as too slow.</summary>
    public int MaxViewerSkipsPerMinute { get; set; } = 6;

    public int MaxStreamNameLength { get; set; } = 200;

    /// <summary>Viewers of one stream, all protocols but HLS together; 0 = no limit. Past it: HTTP 503, RTMP Play.Failed.</summary>
    public int MaxViewersPerStream { get; set; }

    /// <summary>Streams being published in this app at once; 0 = no limit. Past it: NetStream.Publish.BadName.</summary>
    public int MaxPublishers { get; set; }

    public AuthConfig Auth { get; set; } = new();

    public HlsConfig Hls { get; set; } = new();

    /// <summary>Where streams of this app come from when nobody publishes them here: parent nodes or the customer's origin.</summary>
    public List<UpstreamConfig> Upstreams { get; set; } = [];

    public PullConfig Pull { get; set; } = new();

    /// <summary>RTMP URLs (rtmp://host[:port]/app) every stream published here is forwarded to.</summary>
    public List<string> Push { get; set; } = [];
}
