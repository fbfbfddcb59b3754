namespace Appliance.Codecs.Hls;

/// <summary>
/// The segment being produced, in a low-latency playlist: the parts it has so far (after the last
/// complete segment) and <paramref name="PreloadHintUri"/>, the part that comes next (EXT-X-PRELOAD-HINT).
/// </summary>
public sealed record HlsOpenSegment(long Number, DateTimeOffset ProgramDateTime, string MapUri, string PreloadHintUri)
{
    /// <summary>The timeline breaks before this segment.</summary>
    public bool Discontinuity { get; init; }

    public IReadOnlyList<HlsPartialSegment> Parts { get; init; } = [];
}
