namespace Appliance.Codecs.Dash;

/// <summary>
/// A SegmentTemplate: URL templates ($Number$, $Time$, $RepresentationID$ as the caller writes
/// them) and, in <paramref name="Timescale"/> units, either the <see cref="Timeline"/> of segments
/// (SegmentTimeline, equal neighbours collapsed into S@r) or one nominal <see cref="Duration"/>.
/// </summary>
public sealed record DashSegmentTemplate(int Timescale, string Initialization, string Media)
{
    public long StartNumber { get; init; } = 1;

    public long PresentationTimeOffset { get; init; }

    public IReadOnlyList<DashSegmentTime> Timeline { get; init; } = [];

    /// <summary>Used when <see cref="Timeline"/> is empty: every segment lasts this long ($Number$ addressing).</summary>
    public long Duration { get; init; }
}

/// <summary>One segment's start and duration in the template's timescale.</summary>
public readonly record struct DashSegmentTime(long Start, long Duration);
