namespace Appliance.Load.Viewers.Dash;

internal enum MpdContent
{
    Other,
    Video,
    Audio,
}

/// <summary>One S element of a SegmentTimeline: a start (in the template's timescale), a duration and its repeats.</summary>
internal readonly record struct MpdTimelineEntry(long Start, long Duration, long Repeat);

/// <summary>
/// An AdaptationSet of the MPD's last Period as a player of it needs it: its content, and the
/// SegmentTemplate of its first Representation ($Number$ addressing with a SegmentTimeline). The
/// template strings stay bytes of the MPD (see <see cref="Mpd.InitOf"/>). Reused between reloads.
/// </summary>
internal sealed class MpdTrack
{
    private readonly List<MpdTimelineEntry> _timeline = [];

    public MpdContent Content { get; set; }

    public bool HasTemplate { get; set; }

    public long Timescale { get; set; } = 1;

    public long StartNumber { get; set; } = 1;

    /// <summary>False when the newest segment is announced while it is being made (LL-DASH, chunked).</summary>
    public bool AvailabilityTimeComplete { get; set; } = true;

    internal int InitStart { get; set; }

    internal int InitLength { get; set; }

    internal int MediaStart { get; set; }

    internal int MediaLength { get; set; }

    public IReadOnlyList<MpdTimelineEntry> Timeline => _timeline;

    /// <summary>Segments the timeline lists.</summary>
    public long Segments { get; private set; }

    public long LastNumber => StartNumber + Segments - 1;

    public void Reset()
    {
        _timeline.Clear();
        (Content, HasTemplate, Timescale, StartNumber, AvailabilityTimeComplete) = (MpdContent.Other, false, 1, 1, true);
        (InitStart, InitLength, MediaStart, MediaLength, Segments) = (0, 0, 0, 0, 0);
    }

    /// <summary>Adds an S element; a start of -1 continues from the previous one's end.</summary>
    public void Add(long start, long duration, long repeat)
    {
        if (start < 0)
        {
            start = _timeline.Count == 0 ? 0 : End(_timeline[^1]);
        }
        _timeline.Add(new MpdTimelineEntry(start, duration, repeat));
        Segments += repeat + 1;
    }

    /// <summary>
    /// The number of the segment a player starts with when it plays <paramref name="delayMs"/>
    /// behind the end of the timeline (the suggested presentation delay): the one holding that
    /// moment, or the first listed.
    /// </summary>
    public long NumberAt(double delayMs)
    {
        if (_timeline.Count == 0)
        {
            return StartNumber;
        }
        var target = End(_timeline[^1]) - (long)(delayMs * Timescale / 1000);
        var number = StartNumber;
        foreach (var entry in _timeline)
        {
            for (long i = 0; i <= entry.Repeat; i++, number++)
            {
                if (entry.Start + ((i + 1) * entry.Duration) > target)
                {
                    return number;
                }
            }
        }
        return LastNumber;
    }

    private static long End(MpdTimelineEntry entry) => entry.Start + ((entry.Repeat + 1) * entry.Duration);
}
