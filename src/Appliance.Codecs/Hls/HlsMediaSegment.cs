namespace Appliance.Codecs.Hls;

/// <summary>
/// A complete segment as a media playlist lists it. <paramref name="MapUri"/> names the
/// initialization segment it needs (EXT-X-MAP is written when it changes from the segment before);
/// <see cref="Parts"/> are its parts, listed only while the segment is near the live edge.
/// </summary>
public sealed record HlsMediaSegment(long Number, long DurationMs, DateTimeOffset ProgramDateTime, string Uri, string MapUri)
{
    /// <summary>The timeline breaks before this segment (EXT-X-DISCONTINUITY).</summary>
    public bool Discontinuity { get; init; }

    public IReadOnlyList<HlsPartialSegment> Parts { get; init; } = [];
}
