using System.Text.Json.Serialization;
namespace Appliance.Streaming.Settings;

/// <summary>
/// The keys of an app (one entry of a domain's "apps" in the config file) that its streams obey.
/// An app is one flat JSON object, so each layer adds its own keys by deriving from the one below:
/// the relay's (upstreams, pull, push), then the node's (name, limits, auth). JsonPropertyOrder
/// numbers the keys across the three layers, so `--print-default` lists them in one readable order.
/// </summary>
public class StreamingAppConfig
{
    /// <summary>A new viewer starts at the last keyframe with everything since.</summary>
    [JsonPropertyOrder(1)]
    public bool GopCache { get; set; } = true;

    /// <summary>"refuse" a second publisher of a live stream, or let it "takeover".</summary>
    [JsonPropertyOrder(2)]
    public string OnPublisherConflict { get; set; } = "refuse";

    /// <summary>How long viewers wait for a publisher that dropped to come back.</summary>
    [JsonPropertyOrder(3)]
    public int PublisherGraceMs { get; set; } = 10_000;

    /// <summary>
    /// Where a joining viewer starts (see <see cref="JoinModes"/>): "live", "keyframe" or "buffer".
    /// Every mode starts with a keyframe from the GOP cache, so the first picture comes at once.
    /// </summary>
    [JsonPropertyOrder(4)]
    public string JoinMode { get; set; } = JoinModes.Live;

    /// <summary>
    /// In "buffer" mode, a joining viewer starts at a keyframe at least this much media before live
    /// (one GOP further back when the newest keyframe is too recent), so its player has a buffer
    /// and does not stall at once; 0 starts at the newest keyframe.
    /// </summary>
    [JsonPropertyOrder(4)]
    public int JoinBufferMs { get; set; } = 1000;

    /// <summary>
    /// In "live" mode, the interval the cached frames are re-stamped into, ending at the live
    /// frame (at least 1 ms per frame); the audio of that interval is kept, older cached audio dropped.
    /// </summary>
    [JsonPropertyOrder(4)]
    public int JoinBurstMs { get; set; } = JoinModes.DefaultBurstMs;

    /// <summary>
    /// <see cref="JoinBurstMs"/> for HTTP-FLV and HTTP-TS requests from a web browser (a User-Agent
    /// starting "Mozilla/"), whose script players buffer what arrives before they parse it.
    /// </summary>
    [JsonPropertyOrder(4)]
    public int BrowserJoinBurstMs { get; set; } = JoinModes.DefaultBrowserBurstMs;

    /// <summary>
    /// A viewer is written at most this often, merging frames into one write; 0 writes every frame
    /// at once; -1 (the default) adapts: at once for a few viewers, merging up to 100 ms as the
    /// stream's viewers grow (one millisecond per ten viewers).
    /// </summary>
    [JsonPropertyOrder(5)]
    public int FlushIntervalMs { get; set; } = AdaptiveFlushInterval;

    /// <summary>The <see cref="FlushIntervalMs"/> that asks for adaptive batching.</summary>
    public const int AdaptiveFlushInterval = -1;

    /// <summary>A viewer this far behind live skips to the newest keyframe.</summary>
    [JsonPropertyOrder(6)]
    public int MaxViewerLagMs { get; set; } = 5_000;

    /// <summary>A viewer that has to skip this many times in a minute is closed as too slow.</summary>
    [JsonPropertyOrder(7)]
    public int MaxViewerSkipsPerMinute { get; set; } = 6;

    /// <summary>
    /// Bytes of a viewer's output the kernel may hold unsent (TCP_NOTSENT_LOWAT) before the writer
    /// waits; past it a slow path shows as lag the node can skip (<see cref="MaxViewerLagMs"/>),
    /// not as seconds hidden in a send buffer. 0 leaves the kernel's own sizes.
    /// </summary>
    [JsonPropertyOrder(8)]
    public int MaxViewerUnsentBytes { get; set; } = DefaultMaxViewerUnsentBytes;

    public const int DefaultMaxViewerUnsentBytes = 64 * 1024;

    /// <summary>Viewers of one stream, all protocols together (HLS sessions too); 0 = no limit. Past it: HTTP 503, RTMP Play.Failed.</summary>
    [JsonPropertyOrder(9)]
    public int MaxViewersPerStream { get; set; }

    [JsonPropertyOrder(12)]
    public HlsConfig Hls { get; set; } = new();

    /// <summary>fMP4 HLS, LL-HLS and DASH, cut like <see cref="Hls"/>.</summary>
    [JsonPropertyOrder(12)]
    public CmafConfig Cmaf { get; set; } = new();
}
