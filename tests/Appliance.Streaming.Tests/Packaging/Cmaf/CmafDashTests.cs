using Appliance.Codecs.Dash;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>The MPDs: a fixed availabilityStartTime, exact SegmentTimelines, a Period per timeline, the low-latency signals.</summary>
public class CmafDashTests
{
    [Fact]
    public void The_MPD_starts_availability_at_media_time_zero_and_lists_each_segment_exactly()
    {
        using var h = new PackagerHarness();
        h.Headers(3_600_000);
        h.Media(3_600_000, 3_600_000 + 14_040);

        var dash = h.Packager.Snapshot.Dash!;
        Assert.Equal(PackagerHarness.WallClockAtZero, dash.AvailabilityStartTime.ToUnixTimeMilliseconds());
        Assert.Equal("https://node.example/api/time", dash.UtcTimingUrl);
        Assert.Null(dash.LowLatency);
        Assert.Equal((2000L, 12_000L), (dash.MinimumUpdatePeriodMs, dash.TimeShiftBufferDepthMs));
        var period = Assert.Single(dash.Periods);
        Assert.Equal(("p1800", 0L), (period.Id, period.StartMs));
        var video = period.AdaptationSets[0].Representations[0];
        Assert.Equal(("video", "avc1.64001f", 1280, 720, 25), (video.Id, video.Codecs, video.Width, video.Height, video.FrameRateNumerator));
        var template = video.SegmentTemplate;
        Assert.Equal(("cam/video-$Number$.m4s", 90_000, 0L), (template.Media, template.Timescale, template.PresentationTimeOffset));
        Assert.Matches("^cam/video-init-[0-9a-f]{8}\\.mp4$", template.Initialization);
        // The listed window: segments 1801 to 1806 (1800 scrolled off), 2 s each from 3602 s.
        Assert.Equal(1801, template.StartNumber);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => new DashSegmentTime((3_602_000 + (i * 2000L)) * 90, 180_000)), template.Timeline);
        var audio = period.AdaptationSets[1].Representations[0];
        Assert.Equal(("audio", "mp4a.40.2", 44_100, 2), (audio.Id, audio.Codecs, audio.AudioSamplingRate, audio.AudioChannels));
        var audioTimeline = audio.SegmentTemplate.Timeline;
        var audioSegments = h.Packager.Snapshot.Audio!.Segments.TakeLast(6).ToList();
        Assert.Equal(audioSegments.Select(s => new DashSegmentTime(s.StartMs * 441 / 10, (s.EndMs * 441 / 10) - (s.StartMs * 441 / 10))), audioTimeline);
        Assert.All(audioTimeline.Zip(audioTimeline.Skip(1)), pair => Assert.Equal(pair.First.Start + pair.First.Duration, pair.Second.Start));
    }

    [Fact]
    public void The_low_latency_MPD_announces_the_segment_in_progress_once_its_first_chunk_exists()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 8_000);

        Assert.Equal(4, LowLatencyTimeline(h).Count);
        // 320 ms into segment 4: the frame at 320 closes its first part (0 to 280 ms).
        h.Media(8_000, 8_360);

        var dash = h.Packager.Snapshot.DashLowLatency!;
        var timeline = LowLatencyTimeline(h);
        Assert.Equal(new DashSegmentTime(8_000 * 90, 2000 * 90), timeline[^1]);
        Assert.Equal(4, h.Packager.Snapshot.Dash!.Periods[0].AdaptationSets[0].Representations[0].SegmentTemplate.Timeline.Count);
        Assert.Equal(new DashLowLatency(1500, 900, 3000, 0.96, 1.04, 1700), dash.LowLatency);
        Assert.Equal((300L, 1500L), (dash.MinimumUpdatePeriodMs, dash.SuggestedPresentationDelayMs));
    }

    [Fact]
    public void After_a_break_and_a_pause_the_new_period_starts_at_the_wall_clock_with_its_first_media_time_as_offset()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 6_000);
        h.Packager.Break();
        // A five-second pause; the new source starts its own clock, which the stream moves after the last frame.
        h.WallOffset = PackagerHarness.WallClockAtZero + 5_000;
        h.Headers(6_200);
        h.Media(6_200, 12_240, keyFirst: true);

        var periods = h.Packager.Snapshot.Dash!.Periods;
        Assert.Equal(2, periods.Count);
        var second = periods[1];
        Assert.Equal("p3", second.Id);
        Assert.Equal(6_200 + 5_000, second.StartMs);
        Assert.Equal(6_200 * 90, second.AdaptationSets[0].Representations[0].SegmentTemplate.PresentationTimeOffset);
        Assert.Equal(6_200 * 441 / 10, second.AdaptationSets[1].Representations[0].SegmentTemplate.PresentationTimeOffset);
        // HLS says the same: the new timeline's program date-time is where DASH puts it.
        var first = h.Packager.Snapshot.Video!.Segments.Single(s => s.Number == 3);
        Assert.True(first.Discontinuity);
        Assert.Equal(PackagerHarness.WallClockAtZero + second.StartMs, first.ProgramDateTime.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Once_the_stream_ends_the_MPD_asks_for_no_more_updates_and_announces_nothing()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 6_100);

        h.Packager.End();

        var snapshot = h.Packager.Snapshot;
        Assert.True(snapshot.Ended);
        Assert.Equal(0, snapshot.Dash!.MinimumUpdatePeriodMs);
        Assert.Equal(0, snapshot.DashLowLatency!.MinimumUpdatePeriodMs);
        Assert.Equal(snapshot.Dash.Periods[0].AdaptationSets[0].Representations[0].SegmentTemplate.Timeline,
            snapshot.DashLowLatency.Periods[0].AdaptationSets[0].Representations[0].SegmentTemplate.Timeline);
    }

    private static IReadOnlyList<DashSegmentTime> LowLatencyTimeline(PackagerHarness h) =>
        h.Packager.Snapshot.DashLowLatency!.Periods[0].AdaptationSets[0].Representations[0].SegmentTemplate.Timeline;
}
