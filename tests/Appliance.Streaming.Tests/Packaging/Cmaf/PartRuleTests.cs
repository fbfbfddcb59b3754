using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>The part rule on bare timestamps: the longest run from a part's start whose end is within the target.</summary>
public class PartRuleTests
{
    private const long Target = 300;

    [Theory]
    // 25 fps: the 8th frame (280) still fits, the 9th (320) cannot: known as soon as 320 is there.
    [InlineData(new long[] { 0, 40, 80, 120, 160, 200, 240, 280, 320 }, 7)]
    // 30 fps in whole ms: a frame at exactly 300 ends the part with no wait.
    [InlineData(new long[] { 0, 33, 67, 100, 133, 167, 200, 233, 267, 300 }, 9)]
    // 29.97: 267 might still end a part of 8 (its own end is not known yet); 300 says the part is 8.
    [InlineData(new long[] { 0, 33, 67, 100, 133, 167, 200, 234, 267 }, 0)]
    [InlineData(new long[] { 0, 33, 67, 100, 133, 167, 200, 234, 267, 300 }, 9)]
    [InlineData(new long[] { 0, 33, 67, 100, 133, 167, 200, 234, 267, 301 }, 8)]
    // A frame longer than the target is a part of its own.
    [InlineData(new long[] { 0, 500 }, 1)]
    [InlineData(new long[] { 0 }, 0)]
    public void A_part_is_decided_once_a_frame_at_or_past_the_target_is_there(long[] times, int expected) =>
        Assert.Equal(expected, PartRule.NextPartLength(Pending(times), endMs: null, Target));

    [Theory]
    [InlineData(new long[] { 0, 40, 80 }, 120, 3)]
    [InlineData(new long[] { 0, 100, 200 }, 300, 3)]
    [InlineData(new long[] { 0, 100, 200 }, 301, 2)]
    [InlineData(new long[] { 0 }, 900, 1)]
    public void At_the_end_of_a_segment_the_last_frames_end_where_the_segment_does(long[] times, long end, int expected) =>
        Assert.Equal(expected, PartRule.NextPartLength(Pending(times), end, Target));

    [Fact]
    public void Every_part_of_a_jittery_stream_is_at_most_the_target()
    {
        var random = new Random(7);
        var times = new List<long> { 0 };
        for (var i = 1; i < 2000; i++)
        {
            times.Add(times[^1] + random.Next(10, 60));
        }
        var start = 0;
        while (true)
        {
            var count = PartRule.NextPartLength(Pending([.. times.Skip(start)]), endMs: null, Target);
            if (count == 0)
            {
                break;
            }
            var end = times[start + count];
            Assert.InRange(end - times[start], 1, Target);
            // The next frame would not have fitted.
            Assert.True(start + count + 1 >= times.Count || times[start + count + 1] - times[start] > Target || end - times[start] == Target);
            start += count;
        }
        Assert.True(start > 1900);
    }

    private static PendingSample[] Pending(long[] times) => [.. times.Select(t => new PendingSample { Ms = t })];
}
