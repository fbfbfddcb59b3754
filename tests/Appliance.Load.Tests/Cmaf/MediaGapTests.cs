using System.Diagnostics;
using Appliance.Load.Viewers.Cmaf;

namespace Appliance.Load.Tests.Cmaf;

public class MediaGapTests
{
    private static long At(double ms) => Stopwatch.Frequency * 1000 + (long)(ms * Stopwatch.Frequency / 1000);

    [Fact]
    public void A_low_latency_track_stalls_past_one_target_duration_without_media()
    {
        var gap = new MediaGap(lowLatency: true) { TargetDurationMs = 2000 };

        gap.OnMedia(At(0));
        gap.OnMedia(At(200));
        gap.OnMedia(At(2200));
        gap.OnMedia(At(4201));
        gap.OnEnd(At(4300));

        Assert.Equal(1, gap.Stalls);
        Assert.Equal(2001, gap.LongestMs, 3);
    }

    [Fact]
    public void A_track_of_whole_segments_stalls_past_two()
    {
        var gap = new MediaGap(lowLatency: false) { TargetDurationMs = 2000 };

        gap.OnMedia(At(0));
        gap.OnMedia(At(2500));
        gap.OnMedia(At(6600));

        Assert.Equal(1, gap.Stalls);
        Assert.Equal(4100, gap.LongestMs, 3);
    }

    [Fact]
    public void The_gap_still_open_at_the_end_counts()
    {
        var gap = new MediaGap(lowLatency: true) { TargetDurationMs = 1000 };

        gap.OnMedia(At(0));
        gap.OnEnd(At(3000));

        Assert.Equal(1, gap.Stalls);
        Assert.Equal(3000, gap.LongestMs, 3);
    }

    [Fact]
    public void Before_the_first_media_there_is_no_gap()
    {
        var gap = new MediaGap(lowLatency: true);

        gap.OnEnd(At(10_000));

        Assert.Equal(0, gap.Stalls);
        Assert.Equal(0, gap.LongestMs);
    }
}
