using System.Globalization;

namespace Appliance.Streaming.Renditions;

/// <summary>
/// Whether a rendition's segments start where the top rendition's do. Segment numbers come from
/// media time (SegmentNumbering), so renditions of one source with keyframes at the same instants
/// get the same numbers and boundaries; a player may then switch at any segment. Compared: the
/// newest <see cref="CheckedSegments"/> of each, by number, start times within <see cref="ToleranceMs"/>.
/// </summary>
public static class RenditionAlignment
{
    /// <summary>How many of the newest segments are compared.</summary>
    public const int CheckedSegments = 4;

    /// <summary>Start times this close count as the same instant: one frame at 50 fps (one source's keyframes carry the same millisecond).</summary>
    public const long ToleranceMs = 20;

    /// <summary>The state of <paramref name="other"/> against <paramref name="top"/>, and why when it is not aligned.</summary>
    public static (RenditionState State, string? Detail) Check(IReadOnlyList<SegmentBoundary> top, IReadOnlyList<SegmentBoundary> other)
    {
        if (top.Count == 0 || other.Count == 0)
        {
            return (RenditionState.Pending, null);
        }
        var common = 0;
        for (var i = Math.Max(0, other.Count - CheckedSegments); i < other.Count; i++)
        {
            var mine = other[i];
            for (var j = Math.Max(0, top.Count - CheckedSegments); j < top.Count; j++)
            {
                if (top[j].Number != mine.Number)
                {
                    continue;
                }
                common++;
                var offset = mine.StartMs - top[j].StartMs;
                if (Math.Abs(offset) > ToleranceMs)
                {
                    return (RenditionState.Misaligned, string.Create(CultureInfo.InvariantCulture,
                        $"segment {mine.Number} starts {offset} ms from the top rendition's"));
                }
            }
        }
        if (common > 0)
        {
            return (RenditionState.Aligned, null);
        }
        var (a, b) = (top[Math.Max(0, top.Count - CheckedSegments)], top[^1]);
        var (c, d) = (other[Math.Max(0, other.Count - CheckedSegments)], other[^1]);
        // Neither list reaches the other: one of them is behind (just started), not misaligned.
        if (d.Number < a.Number && d.StartMs < a.StartMs || c.Number > b.Number && c.StartMs > b.StartMs)
        {
            return (RenditionState.Pending, null);
        }
        return (RenditionState.Misaligned, string.Create(CultureInfo.InvariantCulture,
            $"no segment number in common with the top rendition (its {a.Number}-{b.Number}, this one's {c.Number}-{d.Number})"));
    }
}
