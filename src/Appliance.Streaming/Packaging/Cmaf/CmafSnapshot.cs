using Appliance.Codecs.Dash;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>A multivariant playlist's content, written per request with <see cref="HlsMultivariantPlaylistWriter"/>.</summary>
public sealed record CmafMultivariant(IReadOnlyList<HlsVariant> Variants, IReadOnlyList<HlsAudioRendition> Audio);

/// <summary>
/// Everything a request for a stream's CMAF packaging reads, as of the newest part: the tracks'
/// playlists, the multivariant playlists, the DASH manifests. Built when a part completes (never
/// per request), immutable, read without a lock; the HTTP side writes it per request with the
/// Codecs writers and the session's query.
/// </summary>
public sealed class CmafSnapshot
{
    internal static CmafSnapshot Empty { get; } = new(null, null, new([], []), new([], []), null, null, isReady: false, ended: false);

    internal CmafSnapshot(CmafTrackSnapshot? video, CmafTrackSnapshot? audio, CmafMultivariant multivariant, CmafMultivariant lowLatencyMultivariant,
        DashManifest? dash, DashManifest? dashLowLatency, bool isReady, bool ended)
    {
        Video = video;
        Audio = audio;
        Multivariant = multivariant;
        LowLatencyMultivariant = lowLatencyMultivariant;
        Dash = dash;
        DashLowLatency = dashLowLatency;
        IsReady = isReady;
        Ended = ended;
    }

    public CmafTrackSnapshot? Video { get; }

    public CmafTrackSnapshot? Audio { get; }

    /// <summary>cmaf.m3u8: the variant and audio rendition pointing at the fMP4 HLS playlists.</summary>
    public CmafMultivariant Multivariant { get; }

    /// <summary>llhls.m3u8: the same, pointing at the LL-HLS playlists.</summary>
    public CmafMultivariant LowLatencyMultivariant { get; }

    /// <summary>A dynamic MPD of the complete segments (SegmentTimeline, $Number$); null before the first segment.</summary>
    public DashManifest? Dash { get; }

    /// <summary>
    /// The low-latency MPD: as <see cref="Dash"/>, with the segment in progress announced once its
    /// first chunk exists (served with chunked transfer as its parts complete), availabilityTimeOffset,
    /// and a latency target. Null before the first segment.
    /// </summary>
    public DashManifest? DashLowLatency { get; }

    /// <summary>The playlists list enough segments for a player to start with a buffer (hls.minSegments), or the stream ended.</summary>
    public bool IsReady { get; }

    /// <summary>The stream has ended: the playlists carry EXT-X-ENDLIST, and nothing more will come.</summary>
    public bool Ended { get; }

    public CmafTrackSnapshot? Track(Fmp4TrackKind kind) => kind == Fmp4TrackKind.Video ? Video : Audio;
}
