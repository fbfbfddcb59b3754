using Appliance.Node.Sessions;
using Appliance.Relay.Routing;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Hosting;

/// <summary>
/// The node at one instant: what <c>/api/status</c>, the control socket's <c>status</c> reply and
/// <c>/metrics</c> all render. Captured once per request from the counters the node keeps anyway
/// (nothing is kept up to date per frame), so the three agree on every figure they share and none
/// has a clock or a counter of its own.
/// </summary>
public sealed partial record NodeStatus
{
    public required string Version { get; init; }

    /// <summary>This node's name in the CDN (node.id, else the host name).</summary>
    public required string NodeId { get; init; }

    /// <summary>origin or edge (configured, or inferred from the apps).</summary>
    public required string Role { get; init; }

    /// <summary>Milliseconds since the node started, by its one start clock.</summary>
    public required long UptimeMs { get; init; }

    /// <summary>The file `reload` reads; null for the embedded default.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>True while the node drains (accepts nothing new).</summary>
    public required bool Draining { get; init; }

    public required IReadOnlyList<(string Name, string Address)> Listeners { get; init; }

    /// <summary>Open connections by protocol (rtmp-play, rtmp-publish, http-flv, http, ...), in ordinal order; HLS players are in <see cref="Viewers"/>.</summary>
    public required IReadOnlyList<(string Protocol, int Count)> Connections { get; init; }

    /// <summary>Live streams, published or pulled, with their viewers and ingest rates.</summary>
    public required IReadOnlyList<StreamStatus> Streams { get; init; }

    public required TrafficStatus Traffic { get; init; }

    /// <summary>Writes, flushes and seconds of viewer connections, by viewer protocol: the measure of batching.</summary>
    public required IReadOnlyList<ViewerWrites> ViewerWrites { get; init; }

    public required SegmentCacheStatus SegmentCache { get; init; }

    public required AuthStatus Auth { get; init; }

    /// <summary>Upstream candidates and their health (empty until an app pulls).</summary>
    public required IReadOnlyList<UpstreamRouteInfo> Routes { get; init; }

    /// <summary>The stream directory; null when none is configured.</summary>
    public DirectoryStatus? Directory { get; init; }

    /// <summary>Event webhooks: deliveries, failures, drops, retries, and what is queued.</summary>
    public WebhookStatus Webhooks { get; init; } = WebhookStatus.None;

    /// <summary>Every rendition of every group of two or more, as the group's playlists last found it, per packaging.</summary>
    public IReadOnlyList<Renditions.RenditionStatus> Renditions { get; init; } = [];

    /// <summary>The TLS listeners' certificates with their expiry (empty without a TLS listener).</summary>
    public IReadOnlyList<CertificateStatus> Certificates { get; init; } = [];

    /// <summary>The ladders' transcoders: each one's ffmpeg, rungs and CPU (empty when none runs).</summary>
    public IReadOnlyList<Transcoding.TranscoderStatus> Transcoders { get; init; } = [];

    /// <summary>transcode.maxConcurrent in effect.</summary>
    public int TranscodeMaxConcurrent { get; init; }

    /// <summary>Transcoders refused since start because the maximum ran.</summary>
    public long TranscodeRefused { get; init; }

    /// <summary>SRT's packet counters and the open SRT sessions' links; null without srt.listen.</summary>
    public SrtStatus? Srt { get; init; }

    public TransportStatus Transport { get; init; } = new("epoll", 0, 0, 0);

    public required MemoryStatus Memory { get; init; }

    public required RuntimeStatus Runtime { get; init; }

    public required ProcessStatus Process { get; init; }

    /// <summary>Open sessions of every protocol.</summary>
    public int Sessions => Connections.Sum(c => c.Count);

    /// <summary>Viewers of all streams, by protocol.</summary>
    public ViewerCounts Viewers
    {
        get
        {
            int rtmp = 0, flv = 0, ts = 0, hls = 0;
            foreach (var stream in Streams)
            {
                rtmp += stream.Viewers.Rtmp;
                flv += stream.Viewers.Flv;
                ts += stream.Viewers.Ts;
                hls += stream.Viewers.Hls;
            }
            return new ViewerCounts(rtmp, flv, ts, hls);
        }
    }
}

/// <summary>A certificate the TLS listeners present: its first name (or subject), its file, when it expires.</summary>
public sealed record CertificateStatus(string Name, string Path, DateTime NotAfterUtc);
