using Appliance.Codecs.Text;

namespace Appliance.Codecs.Dash;

/// <summary>
/// Writes a SegmentTimeline: a run of contiguous segments of equal duration becomes one S with @r
/// (the repeats after the first); @t is written on the first S and wherever the timeline jumps.
/// </summary>
internal static class DashTimeline
{
    public static void Write(Utf8Output text, IReadOnlyList<DashSegmentTime> timeline, ReadOnlySpan<byte> indent)
    {
        text.Append(indent);
        text.Append("<SegmentTimeline>\n"u8);
        long end = 0;
        var i = 0;
        while (i < timeline.Count)
        {
            var first = timeline[i];
            var repeats = 0;
            while (i + repeats + 1 < timeline.Count
                && timeline[i + repeats + 1].Duration == first.Duration
                && timeline[i + repeats + 1].Start == first.Start + (repeats + 1) * first.Duration)
            {
                repeats++;
            }
            text.Append(indent);
            text.Append("  <S"u8);
            if (i == 0 || first.Start != end)
            {
                text.Append(" t=\""u8);
                text.Append(first.Start);
                text.Append('"');
            }
            text.Append(" d=\""u8);
            text.Append(first.Duration);
            text.Append('"');
            if (repeats > 0)
            {
                text.Append(" r=\""u8);
                text.Append(repeats);
                text.Append('"');
            }
            text.Append("/>\n"u8);
            end = first.Start + (repeats + 1) * first.Duration;
            i += repeats + 1;
        }
        text.Append(indent);
        text.Append("</SegmentTimeline>\n"u8);
    }
}
