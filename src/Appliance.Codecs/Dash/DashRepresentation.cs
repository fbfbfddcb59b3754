namespace Appliance.Codecs.Dash;

/// <summary>
/// One representation: its RFC 6381 <paramref name="Codecs"/>, bandwidth in bits per second, and
/// where its segments are. Zero leaves a video or audio attribute out.
/// </summary>
public sealed record DashRepresentation(string Id, string Codecs, long Bandwidth, DashSegmentTemplate SegmentTemplate)
{
    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>frameRate as a fraction (30000/1001); written as "25" when the denominator is 1.</summary>
    public int FrameRateNumerator { get; init; }

    public int FrameRateDenominator { get; init; } = 1;

    public int AudioSamplingRate { get; init; }

    /// <summary>The channel count for AudioChannelConfiguration (urn:mpeg:dash:23003:3:audio_channel_configuration:2011).</summary>
    public int AudioChannels { get; init; }
}
