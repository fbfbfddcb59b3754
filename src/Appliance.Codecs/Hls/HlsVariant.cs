namespace Appliance.Codecs.Hls;

/// <summary>
/// One variant stream of a multivariant playlist (EXT-X-STREAM-INF). <paramref name="Codecs"/> lists
/// every format in the variant, its audio rendition's included ("avc1.64001f,mp4a.40.2").
/// Bandwidths are in bits per second; a zero size or frame rate leaves the attribute out (audio only).
/// </summary>
public sealed record HlsVariant(string Uri, long Bandwidth, string Codecs)
{
    public long AverageBandwidth { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>Frames per second as a fraction (30000/1001); written rounded to three decimals.</summary>
    public int FrameRateNumerator { get; init; }

    public int FrameRateDenominator { get; init; } = 1;

    /// <summary>The GROUP-ID of the audio renditions that go with this variant.</summary>
    public string? AudioGroupId { get; init; }
}
