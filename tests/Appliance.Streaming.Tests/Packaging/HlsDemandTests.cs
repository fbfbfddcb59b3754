using System.Diagnostics;
using Appliance.Core.Time;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>HLS is packaged on demand: started by a request (or always), stopped when nobody asks, kept briefly after the end.</summary>
public class HlsDemandTests
{
    [Fact]
    public void NothingIsSegmentedBeforeTheFirstRequestWhichCutsTheLogsHistoryAtOnce()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();

        hls.PublishMedia(0, 10_040);

        Assert.Equal(0, hls.Cache.Segments);
        Assert.Equal(0, hls.Cache.Bytes);
        Assert.Null(hls.Stream.HlsWindow);
        var window = hls.Stream.RequestHls()!;
        Assert.True(window.HasPlaylist);
        Assert.True(window.Ready.IsCompletedSuccessfully);
        Assert.Equal(window.Segments.Count, hls.Cache.Segments);
        Assert.Equal(window.Segments.Sum(s => s.File.Length), hls.Cache.Bytes);
        Assert.NotEmpty(MediaPlaylist.Parse(window.Playlist).Entries);
    }

    [Fact]
    public void ANewStreamsFirstSegmentCompletesOneTargetOfMediaAfterItsFirstKeyframe()
    {
        using var hls = new HlsHarness(app => app.Hls.MinSegments = 1);
        hls.PublishHeaders();
        hls.PublishMedia(0, 1_520);

        var window = hls.Stream.RequestHls()!;
        var task = window.Ready;
        Assert.False(task.IsCompleted);
        Assert.False(window.HasPlaylist);
        hls.PublishMedia(1_520, 1_960);
        Assert.False(task.IsCompleted);
        hls.PublishMedia(1_960, 2_040);

        Assert.True(task.IsCompletedSuccessfully);
        var first = Assert.Single(window.Segments);
        Assert.Equal((0L, 2000L), (first.StartMs, first.DurationMs));
    }

    [Fact]
    public void WithHlsAlwaysOnSegmentsExistBeforeAnyRequestAndIdlenessDoesNotStopThem()
    {
        using var hls = new HlsHarness(app =>
        {
            app.Hls.Always = true;
            app.Hls.IdleStopMs = 1;
        });
        hls.PublishHeaders();
        var clock = Stopwatch.StartNew();

        hls.PublishMedia(0, 6_040);
        SpinUntil(() => clock.ElapsedMilliseconds > 20);
        hls.PublishMedia(6_040, 8_040);

        Assert.Equal(4, hls.Cache.Segments);
        Assert.Equal([0L, 1, 2, 3], hls.Stream.RequestHls()!.Segments.Select(s => s.Sequence));
    }

    [Fact]
    public void AnAppWithHlsOffHasNoWindow()
    {
        using var hls = new HlsHarness(app => app.Hls.Enabled = false);
        hls.PublishHeaders();
        hls.PublishMedia(0, 4_040);

        Assert.Null(hls.Stream.RequestHls());
        hls.PublishMedia(4_040, 8_040);
        Assert.Equal(0, hls.Cache.Segments);
    }

    [Fact]
    public async Task PackagingStopsAfterTheIdleTimeWithoutRequestsAndTheNextRequestRestartsIt()
    {
        const int idleMs = 300;
        using var hls = new HlsHarness(app => app.Hls.IdleStopMs = idleMs);
        hls.PublishHeaders();
        // The node's own clock, read before the request: it is coarse (a few ms per tick), so a
        // stopwatch started after the request can show a little under the idle time when it stops.
        var requestedMs = MonotonicClock.NowMs;
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 6_040);
        Assert.Equal(3, hls.Cache.Segments);
        Assert.True(hls.Cache.Bytes > 0);

        var t = 6_040L;
        await Eventually.WaitAsync(() =>
        {
            hls.PublishMedia(t, t + 40);
            t += 40;
            return hls.Cache.Segments == 0;
        }, "packaging to stop for want of HLS requests");

        var sinceRequestMs = MonotonicClock.NowMs - requestedMs;
        Assert.True(sinceRequestMs > idleMs, $"stopped {sinceRequestMs} ms after the request");
        Assert.Equal(0, hls.Cache.Bytes);
        Assert.Empty(window.Segments);
        Assert.False(window.HasPlaylist);

        // Frames go on; a new request starts a fresh segmenter at the GOP cache's keyframe.
        var restarted = hls.Stream.RequestHls()!;
        Assert.NotSame(window, restarted);
        var keyframe = (t + 999) / 1000 * 1000;
        hls.PublishMedia(t, keyframe + 3_040);
        Assert.NotEmpty(restarted.Segments);
        Assert.Equal(2000, restarted.Segments[^1].DurationMs);
        Assert.True(hls.Cache.Segments > 0);
        MediaPlaylist.Parse(restarted.Playlist);
    }

    [Fact]
    public async Task SegmentRequestsCountAsDemandAndKeepPackagingRunning()
    {
        const int idleMs = 100;
        using var hls = new HlsHarness(app => app.Hls.IdleStopMs = idleMs);
        hls.PublishHeaders();
        hls.Stream.RequestHls();
        var clock = Stopwatch.StartNew();
        var t = 0L;
        var touched = Stopwatch.StartNew();

        // Five idle periods (and two segments) of publishing, with a segment lookup (HlsWindow, as a segment request does) every 20 ms.
        while (clock.ElapsedMilliseconds < idleMs * 5 || t < 4_040)
        {
            if (touched.ElapsedMilliseconds >= 20)
            {
                Assert.NotNull(hls.Stream.HlsWindow);
                touched.Restart();
            }
            hls.PublishMedia(t, t + 40);
            t += 40;
            await Task.Delay(5);
        }

        Assert.True(hls.Cache.Segments > 0, "packaging stopped although segments were being requested");
        Assert.NotNull(hls.Stream.HlsWindow);
    }

    [Fact]
    public void AnEndedStreamKeepsItsPlaylistWithTheEndListUntilItsHlsIsDropped()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 0);
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 5_000);

        hls.Stream.DetachSource(hls.Source);

        Assert.True(hls.Stream.IsEnded);
        Assert.Null(hls.Registry.FindForPlay(HlsHarness.Key));
        Assert.Same(hls.Stream, hls.Registry.FindForHls(HlsHarness.Key));
        var playlist = MediaPlaylist.Parse(window.Playlist);
        Assert.True(playlist.Ended);
        // The open segment (4 s to the last frame) was completed, not lost.
        Assert.Equal([0L, 1, 2], playlist.Entries.Select(e => e.Sequence));
        Assert.Equal(4000, window.Segments[^1].StartMs);
        Assert.InRange(window.Segments[^1].DurationMs, 960, 1000);
        Assert.Equal(3, hls.Cache.Segments);
        Assert.Same(window, hls.Stream.RequestHls());

        hls.Stream.DropHls();

        Assert.Equal(0, hls.Cache.Segments);
        Assert.Equal(0, hls.Cache.Bytes);
        Assert.Null(hls.Stream.RequestHls());
    }

    [Fact]
    public void ANewStreamOfTheSameKeyReplacesTheEndedOneAndItsSegmentsAreFreedWhenItEndsToo()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 0);
        hls.PublishHeaders();
        var oldWindow = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 4_040);
        hls.Stream.DetachSource(hls.Source);
        // Two whole segments and the open one, completed by the end.
        Assert.Equal(3, hls.Cache.Segments);

        var source = new TestSource("next publisher");
        Assert.Equal(PublishOutcome.Started, hls.Registry.TryPublish(HlsHarness.Key, hls.App, source, out var next));
        Assert.NotSame(hls.Stream, next);
        Assert.Same(next, hls.Registry.FindForHls(HlsHarness.Key));
        var newWindow = next.RequestHls()!;
        next.Publish(source, hls.Frames.AvcSequenceHeader(0));
        next.Publish(source, TsMedia.KeyFrame(hls.Frames, 0));
        next.Publish(source, TsMedia.KeyFrame(hls.Frames, 2_000));
        next.Publish(source, TsMedia.KeyFrame(hls.Frames, 4_000));
        Assert.Equal(5, hls.Cache.Segments);
        next.DetachSource(source);

        // Only the newest ended stream of a key is kept for HLS: the older one's segments are freed.
        Assert.Same(next, hls.Registry.FindForHls(HlsHarness.Key));
        Assert.Empty(oldWindow.Segments);
        Assert.Equal(newWindow.Segments.Count, hls.Cache.Segments);
        next.DropHls();
        Assert.Equal(0, hls.Cache.Segments);
        Assert.Equal(0, hls.Cache.Bytes);
    }

    private static void SpinUntil(Func<bool> condition)
    {
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(5)));
    }
}
