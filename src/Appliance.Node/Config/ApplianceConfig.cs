using System.Text.Json.Serialization;
using Appliance.Auth.Config;
using Appliance.Relay.Config;
using Appliance.Streaming.Settings;

namespace Appliance.Node.Config;

/// <summary>The whole configuration. Every default here is the embedded default config.</summary>
public sealed class ApplianceConfig
{
    public RtmpConfig Rtmp { get; set; } = new();

    public HttpConfig Http { get; set; } = new();

    public HttpsConfig Https { get; set; } = new();

    public RtmpsConfig Rtmps { get; set; } = new();

    public TlsConfig Tls { get; set; } = new();

    /// <summary>The SRT listener; off by default.</summary>
    public SrtConfig Srt { get; set; } = new();

    public DeadlineConfig Deadlines { get; set; } = new();

    public LogConfig Log { get; set; } = new();

    public CacheConfig Cache { get; set; } = new();

    public SecurityConfig Security { get; set; } = new();

    public LimitsConfig Limits { get; set; } = new();

    public NodeConfig Node { get; set; } = new();

    /// <summary>How sockets are written: sendmsg on epoll (the default) or io_uring.</summary>
    public TransportConfig Transport { get; set; } = new();

    public ControlConfig Control { get; set; } = new();

    public AdminConfig Admin { get; set; } = new();

    /// <summary>The optional stream directory on Redis (off unless <c>directory.redis</c> is set).</summary>
    public DirectoryConfig Directory { get; set; } = new();

    /// <summary>The transcoders of apps with a ladder: which ffmpeg, and how many may run at once.</summary>
    public TranscodeConfig Transcode { get; set; } = new();

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

    /// <summary>
    /// Also serve the JSON listing (/, /api/streams) and /api/status on this listener, publisher
    /// addresses left out; off, only the admin listener serves them, so viewers cannot list streams.
    /// </summary>
    public bool PublicApi { get; set; }

    /// <summary>
    /// Where the player page's scripts are (absolute); "" = share/appliance/player beside the
    /// directory of the daemon's binary: /usr/share/appliance/player for /usr/bin/applianced.
    /// </summary>
    public string PlayerDir { get; set; } = "";
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

/// <summary>
/// One app: the keys its streams obey (<see cref="StreamingAppConfig"/>), where its streams come
/// from and go to (<see cref="RelayAppConfig"/>), and the node's own: its name, limits, auth and webhooks.
/// </summary>
public sealed class AppConfig : RelayAppConfig
{
    [JsonPropertyOrder(0)]
    public string Name { get; set; } = "live";

    [JsonPropertyOrder(8)]
    public int MaxStreamNameLength { get; set; } = 200;

    /// <summary>Streams being published in this app at once; 0 = no limit. Past it: NetStream.Publish.BadName.</summary>
    [JsonPropertyOrder(10)]
    public int MaxPublishers { get; set; }

    [JsonPropertyOrder(11)]
    public AuthConfig Auth { get; set; } = new();

    /// <summary>Events of this app's streams POSTed to the customer's backend; off until urls are set.</summary>
    [JsonPropertyOrder(16)]
    public WebhookConfig Webhooks { get; set; } = new();

    /// <summary>Streams grouped into one adaptive stream (multivariant playlists, one MPD); off until labels or groups are set.</summary>
    [JsonPropertyOrder(17)]
    public RenditionsConfig Renditions { get; set; } = new();

    /// <summary>Lower renditions made from each stream published here; no rungs, no ladder.</summary>
    [JsonPropertyOrder(18)]
    public LadderConfig Ladder { get; set; } = new();

    /// <summary>Latency and encryption of SRT publishers and players of this app.</summary>
    [JsonPropertyOrder(18)]
    public AppSrtConfig Srt { get; set; } = new();
}
