namespace Appliance.Codecs.Hls;

/// <summary>
/// What a CMAF media playlist says, built once when a segment or part completes and written for
/// every request (<see cref="HlsMediaPlaylistWriter"/>). <paramref name="Segments"/> are the complete
/// ones in order with consecutive numbers; the first is the EXT-X-MEDIA-SEQUENCE.
/// <paramref name="PartTargetMs"/> above zero makes it a low-latency playlist: EXT-X-SERVER-CONTROL,
/// EXT-X-PART-INF, parts near the live edge, <see cref="Open"/> and its preload hint. The part
/// target must stay the same for the stream's life and no part may be longer (RFC 8216bis 4.4.3.7).
/// </summary>
public sealed record HlsMediaPlaylist(long TargetDurationMs, long PartTargetMs, IReadOnlyList<HlsMediaSegment> Segments)
{
    /// <summary>Discontinuities before the first listed segment (EXT-X-DISCONTINUITY-SEQUENCE).</summary>
    public long DiscontinuitySequence { get; init; }

    /// <summary>
    /// The segment in progress (low latency only); ignored once <see cref="Ended"/>. Give it while
    /// the stream runs, even with no part yet: hls.js expects a preload hint in every low-latency playlist.
    /// </summary>
    public HlsOpenSegment? Open { get; init; }

    /// <summary>The other renditions' positions, for players switching between them.</summary>
    public IReadOnlyList<HlsRenditionReport> RenditionReports { get; init; } = [];

    /// <summary>The stream has ended: EXT-X-ENDLIST, no preload hint.</summary>
    public bool Ended { get; init; }

    public bool IsLowLatency => PartTargetMs > 0;
}
