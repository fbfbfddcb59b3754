using Appliance.Core.Buffers;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>A complete, immutable HLS segment: its place on the timeline and its TS bytes in a sealed in-memory file.</summary>
public sealed class HlsSegment(long sequence, long startMs, long durationMs, bool discontinuity, DateTimeOffset programDateTime, SharedFile file)
{
    public long Sequence { get; } = sequence;

    public long StartMs { get; } = startMs;

    public long DurationMs { get; } = durationMs;

    /// <summary>The timeline breaks before this segment (republish, timestamp jump, new codec config).</summary>
    public bool Discontinuity { get; } = discontinuity;

    public DateTimeOffset ProgramDateTime { get; } = programDateTime;

    public SharedFile File { get; } = file;

    /// <summary>Video frames in the segment (its frame rate, for a multivariant playlist's FRAME-RATE).</summary>
    public int VideoFrames { get; init; }
}
