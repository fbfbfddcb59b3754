using System.Diagnostics;
using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>CMAF is packaged on demand, like HLS: started by a request, stopped when nobody asks, kept briefly after the end.</summary>
public class CmafDemandTests
{
    [Fact]
    public void Nothing_is_packaged_before_the_first_request_which_cuts_the_logs_history_at_once()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        hls.PublishMedia(0, 10_040);
        Assert.Equal(0, hls.Cache.Segments);
        Assert.Null(hls.Stream.Cmaf);

        var cmaf = hls.Stream.RequestCmaf()!;

        Assert.Same(cmaf, hls.Stream.Cmaf);
        Assert.True(cmaf.Ready.IsCompletedSuccessfully);
        Assert.True(cmaf.Snapshot.IsReady);
        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments;
        var audio = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments;
        Assert.True(video.Length >= hls.App.Hls.MinSegments, $"{video.Length} segments");
        Assert.Equal(video.Length + audio.Length, hls.Cache.Segments);
        Assert.Equal(video.Sum(s => s.File.Length) + audio.Sum(s => s.File.Length), hls.Cache.Bytes);
        Assert.True(hls.Stream.IsWatched);
    }

    [Fact]
    public void The_first_playlist_waits_for_the_minimum_segments_of_a_young_stream()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(0, 4_040);
        Assert.False(cmaf.Ready.IsCompleted);
        Assert.False(cmaf.Snapshot.IsReady);
        hls.PublishMedia(4_040, 6_040);

        Assert.True(cmaf.Ready.IsCompletedSuccessfully);
        Assert.Equal([0L, 1, 2], CmafFiles.Listed(cmaf, Fmp4TrackKind.Video));
    }

    [Fact]
    public void An_app_with_CMAF_off_has_no_packager()
    {
        using var hls = new HlsHarness(app => app.Cmaf.Enabled = false);
        hls.PublishHeaders();
        hls.PublishMedia(0, 4_040);

        Assert.Null(hls.Stream.RequestCmaf());
        Assert.Equal(0, hls.Cache.Segments);
    }

    [Fact]
    public async Task Packaging_stops_after_the_idle_time_without_requests_and_releases_held_requests_and_the_next_request_restarts_it()
    {
        const int idleMs = 300;
        using var hls = new HlsHarness(app => app.Hls.IdleStopMs = idleMs);
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;
        var sinceRequest = Stopwatch.StartNew();
        hls.PublishMedia(0, 6_040);
        Assert.Equal(6, hls.Cache.Segments);
        var held = cmaf.WaitForPartAsync(Fmp4TrackKind.Video, 100, 0).AsTask();

        var t = 6_040L;
        await Eventually.WaitAsync(() =>
        {
            hls.PublishMedia(t, t + 40);
            t += 40;
            return hls.Cache.Segments == 0;
        }, "packaging to stop for want of CMAF requests");

        // The stream's monotonic clock ticks coarsely (a few ms): not before the idle time, give or take a tick.
        Assert.True(sinceRequest.ElapsedMilliseconds >= idleMs - 20, $"stopped {sinceRequest.ElapsedMilliseconds} ms after the request");
        Assert.Equal(0, hls.Cache.Bytes);
        Assert.Equal(CmafWaitResult.Ended, await held.WaitAsync(Eventually.Timeout));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(cmaf, "video-0.m4s"));
        Assert.Null(hls.Stream.Cmaf);

        var restarted = hls.Stream.RequestCmaf()!;
        Assert.NotSame(cmaf, restarted);
        var keyframe = (t + 1999) / 2000 * 2000;
        hls.PublishMedia(t, keyframe + 2_040);
        Assert.NotEmpty(CmafFiles.Track(restarted, Fmp4TrackKind.Video).Segments);
    }

    [Fact]
    public async Task File_requests_count_as_demand_and_keep_packaging_running()
    {
        const int idleMs = 100;
        using var hls = new HlsHarness(app => app.Hls.IdleStopMs = idleMs);
        hls.PublishHeaders();
        hls.Stream.RequestCmaf();
        var clock = Stopwatch.StartNew();
        var touched = Stopwatch.StartNew();
        var t = 0L;

        while (clock.ElapsedMilliseconds < idleMs * 5 || t < 4_040)
        {
            if (touched.ElapsedMilliseconds >= 20)
            {
                Assert.NotNull(hls.Stream.Cmaf);
                touched.Restart();
            }
            hls.PublishMedia(t, t + 40);
            t += 40;
            await Task.Delay(5);
        }

        Assert.True(hls.Cache.Segments > 0, "packaging stopped although files were being requested");
    }

    [Fact]
    public void An_ended_stream_keeps_its_CMAF_with_the_end_until_it_is_dropped()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 0);
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;
        hls.PublishMedia(0, 5_000);

        hls.Stream.DetachSource(hls.Source);

        Assert.True(hls.Stream.IsEnded);
        Assert.Same(hls.Stream, hls.Registry.FindForHls(HlsHarness.Key));
        Assert.Same(cmaf, hls.Stream.RequestCmaf());
        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        Assert.True(video.Playlist.Ended && video.LowLatencyPlaylist.Ended && cmaf.Snapshot.Ended);
        Assert.Null(video.LowLatencyPlaylist.Open);
        // The open segment (4 s to the last frame) was completed, not lost.
        Assert.Equal([0L, 1, 2], video.Segments.Select(s => s.Number));
        Assert.Equal((4000L, 1000L), (video.Segments[^1].StartMs, video.Segments[^1].DurationMs));

        hls.Stream.DropCmaf();

        Assert.Equal(0, hls.Cache.Segments);
        Assert.Equal(0, hls.Cache.Bytes);
        Assert.Null(hls.Stream.RequestCmaf());
    }
}
