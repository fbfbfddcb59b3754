using Appliance.Streaming.Renditions;

namespace Appliance.Streaming.Tests.Renditions;

public sealed class RenditionAlignmentTests
{
    private static List<SegmentBoundary> Segments(long firstNumber, long firstStartMs, int count, long durationMs = 2000) =>
        [.. Enumerable.Range(0, count).Select(i => new SegmentBoundary(firstNumber + i, firstStartMs + i * durationMs))];

    [Fact]
    public void The_same_numbers_and_start_times_are_aligned()
    {
        var (state, detail) = RenditionAlignment.Check(Segments(1800, 3_600_000, 6), Segments(1800, 3_600_000, 6));

        Assert.Equal(RenditionState.Aligned, state);
        Assert.Null(detail);
    }

    [Fact]
    public void A_rendition_that_started_later_is_aligned_on_the_numbers_both_have()
    {
        Assert.Equal(RenditionState.Aligned, RenditionAlignment.Check(Segments(1800, 3_600_000, 6), Segments(1804, 3_608_000, 2)).State);
    }

    [Theory]
    [InlineData(20, RenditionState.Aligned)]
    [InlineData(-20, RenditionState.Aligned)]
    [InlineData(21, RenditionState.Misaligned)]
    [InlineData(-40, RenditionState.Misaligned)]
    public void Start_times_agree_within_a_frame_at_50_fps(long offsetMs, RenditionState expected)
    {
        var top = Segments(10, 20_000, 4);
        var other = Segments(10, 20_000, 4);
        other[2] = other[2] with { StartMs = other[2].StartMs + offsetMs };

        var (state, detail) = RenditionAlignment.Check(top, other);

        Assert.Equal(expected, state);
        if (expected == RenditionState.Misaligned)
        {
            Assert.Equal($"segment 12 starts {offsetMs} ms from the top rendition's", detail);
        }
    }

    [Fact]
    public void Keyframes_every_4_s_against_every_2_s_are_misaligned()
    {
        // Consecutive numbers over 4 s segments drift from the top's 2 s ones at once.
        var (state, detail) = RenditionAlignment.Check(Segments(10, 20_000, 4), Segments(11, 22_000, 3, durationMs: 4000));

        Assert.Equal(RenditionState.Misaligned, state);
        Assert.Equal("segment 12 starts 2000 ms from the top rendition's", detail);
    }

    [Fact]
    public void The_same_times_under_other_numbers_are_misaligned()
    {
        var (state, detail) = RenditionAlignment.Check(Segments(10, 20_000, 4), Segments(20, 20_000, 4));

        Assert.Equal(RenditionState.Misaligned, state);
        Assert.Equal("no segment number in common with the top rendition (its 10-13, this one's 20-23)", detail);
    }

    [Fact]
    public void Without_segments_on_either_side_there_is_nothing_to_judge_yet()
    {
        Assert.Equal(RenditionState.Pending, RenditionAlignment.Check(Segments(10, 20_000, 4), []).State);
        Assert.Equal(RenditionState.Pending, RenditionAlignment.Check([], Segments(10, 20_000, 4)).State);
    }

    [Fact]
    public void A_rendition_entirely_behind_or_ahead_in_numbers_and_time_is_pending()
    {
        Assert.Equal(RenditionState.Pending, RenditionAlignment.Check(Segments(10, 20_000, 4), Segments(4, 8_000, 2)).State);
        Assert.Equal(RenditionState.Pending, RenditionAlignment.Check(Segments(10, 20_000, 4), Segments(20, 40_000, 2)).State);
    }

    [Fact]
    public void Only_the_newest_segments_are_compared()
    {
        // An old disagreement (before a republish, say) scrolled past the compared ones.
        var top = Segments(10, 20_000, 8);
        var other = Segments(10, 20_000, 8);
        other[0] = other[0] with { StartMs = 19_000 };

        Assert.Equal(RenditionState.Aligned, RenditionAlignment.Check(top, other).State);
    }
}
