using Appliance.Codecs.Dash;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Renditions;

/// <summary>
/// One rendition as a group's playlists describe it, measured from its own stream and packaging
/// at one instant: BANDWIDTH is the peak segment rate over what its playlist lists,
/// AVERAGE-BANDWIDTH the mean over it (audio included), the frame rate the frames those segments
/// hold, codecs and picture size from its sequence headers.
/// </summary>
public sealed record Rendition(StreamKey Key)
{
    public string Name => Key.Name;

    public long PeakBitsPerSecond { get; init; }

    public long AverageBitsPerSecond { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int FrameRateNumerator { get; init; }

    public int FrameRateDenominator { get; init; } = 1;

    /// <summary>RFC 6381 codecs of every track ("avc1.64001e,mp4a.40.2").</summary>
    public string Codecs { get; init; } = "";

    /// <summary>The stream's AudioSpecificConfig, or null without AAC: equal ones share one audio playlist.</summary>
    public byte[]? AudioConfig { get; init; }

    /// <summary>Audio channels as its own multivariant playlist states them (CMAF readings only; 0 unknown).</summary>
    public int AudioChannels { get; init; }

    public bool HasVideo { get; init; }

    public bool HasAudio { get; init; }

    /// <summary>Where its newest segments start, oldest first.</summary>
    public IReadOnlyList<SegmentBoundary> Boundaries { get; init; } = [];

    /// <summary>Its own MPD (CMAF readings only), the plain one or the low-latency one as asked.</summary>
    public DashManifest? Dash { get; init; }

    /// <summary>Where its LL-HLS video playlist stands (CMAF readings only): its newest part; (-1, -1) before any.</summary>
    public (long Msn, int Part) LastPart { get; init; } = (-1, -1);

    /// <summary>The same audio configuration as <paramref name="other"/>'s.</summary>
    public bool SharesAudioWith(Rendition other) =>
        AudioConfig is { } mine && other.AudioConfig is { } theirs && mine.AsSpan().SequenceEqual(theirs);
}

/// <summary>A rendition, where it stands in its group, and why when it is not listed.</summary>
public sealed record RenditionEntry(Rendition Rendition, RenditionState State, string? Detail = null)
{
    public bool Listed => State is RenditionState.Top or RenditionState.Aligned;
}
