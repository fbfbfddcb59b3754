using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;
using Appliance.Core.Buffers;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// A stretch of unbroken timeline: an HLS discontinuity starts one, and each is a DASH Period.
/// Its id is the number of the first segment this node cut in it. <paramref name="WallClockAtZeroMs"/>
/// is the wall clock at its media time 0 (program date-times); its period starts
/// <paramref name="PeriodStartMs"/> after availabilityStartTime, with media time
/// <paramref name="PresentationOffsetMs"/> there (presentationTimeOffset).
/// </summary>
internal sealed record CmafEpoch(long FirstNumber, long WallClockAtZeroMs, long PeriodStartMs, long PresentationOffsetMs);

/// <summary>One part of a segment: one fMP4 fragment of one track, where it lies in the segment's file.</summary>
internal sealed class CmafPart(int index, long startMs, long durationMs, bool independent, int samples, long offset, int length, PartBytes bytes, string uri)
{
    public int Index { get; } = index;

    public long StartMs { get; } = startMs;

    public long DurationMs { get; } = durationMs;

    /// <summary>Starts with a sync sample (a keyframe; every AAC frame).</summary>
    public bool Independent { get; } = independent;

    public int Samples { get; } = samples;

    /// <summary>Where the part lies in its segment's file, once the segment is complete.</summary>
    public long Offset { get; } = offset;

    public int Length { get; } = length;

    /// <summary>The bytes while the segment is in progress (released once it completes).</summary>
    public PartBytes Bytes { get; } = bytes;

    public HlsPartialSegment Hls { get; } = new(durationMs, uri, independent);
}

/// <summary>A complete, immutable segment: its parts back to back in a sealed in-memory file.</summary>
internal sealed class CmafSegment
{
    public CmafSegment(Fmp4TrackKind track, long number, long startMs, long durationMs, bool discontinuity, CmafEpoch epoch, CmafInit init, SharedFile file, CmafPart[] parts)
    {
        Number = number;
        StartMs = startMs;
        DurationMs = durationMs;
        Discontinuity = discontinuity;
        Epoch = epoch;
        Init = init;
        File = file;
        Parts = parts;
        foreach (var part in parts)
        {
            Samples += part.Samples;
        }
        ProgramDateTime = DateTimeOffset.FromUnixTimeMilliseconds(epoch.WallClockAtZeroMs + startMs);
        var hlsParts = new HlsPartialSegment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            hlsParts[i] = parts[i].Hls;
        }
        Hls = new HlsMediaSegment(number, durationMs, ProgramDateTime, CmafName.SegmentFile(track, number), init.Name)
        {
            Discontinuity = discontinuity,
            Parts = hlsParts,
        };
    }

    public long Number { get; }

    public long StartMs { get; }

    public long DurationMs { get; }

    public long EndMs => StartMs + DurationMs;

    public bool Discontinuity { get; }

    public CmafEpoch Epoch { get; }

    public CmafInit Init { get; }

    public SharedFile File { get; }

    public CmafPart[] Parts { get; }

    public int Samples { get; }

    public DateTimeOffset ProgramDateTime { get; }

    public HlsMediaSegment Hls { get; }
}
