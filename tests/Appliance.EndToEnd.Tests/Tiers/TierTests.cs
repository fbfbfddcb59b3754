using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>origin ← upper ← edge as separate daemons on loopback: a stream published at the origin plays at the edge.</summary>
public sealed class TierTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_stream_published_at_the_origin_plays_at_the_edge_over_rtmp_http_flv_and_hls_with_one_upstream_session_per_tier()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        // The upper node pulls over RTMP, the edge over HTTP-FLV: both pull methods in one chain.
        await using var upper = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Flv(upper)]), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);

        var rtmp = await Ffmpeg.ProbeAsync(edge.RtmpUrl("live/cam"), seconds: 3, Wait);
        var flv = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 3, Wait);
        var hls = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.m3u8"), seconds: 3, TimeSpan.FromSeconds(60));

        foreach (var probe in new[] { rtmp, flv, hls })
        {
            Assert.Equal("h264", probe.Video.CodecName);
            Assert.Equal(640, probe.Video.Width);
            Assert.Equal("aac", probe.Audio.CodecName);
            var video = probe.PacketsOf(probe.Video);
            Assert.True(video.Count >= 40, $"only {video.Count} video packets");
            Assert.True(video[0].Key, "the first video packet is not a keyframe");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var viewers = new List<ViewerRecorder>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                viewers.Add(new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token)));
                viewers.Add(new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token)));
            }
            await Task.WhenAll(viewers.Select(v => v.WaitUntilAsync(x => x.VideoFrames >= 25, Wait, "25 frames at the edge")));

            Assert.All(viewers, v => Assert.True(v.FirstVideoFrameWasKey));
            Assert.All(viewers, v => v.AssertContinuousTimeline());
            Assert.Equal(20, await Infrastructure.Tiers.SessionsAsync(edge, "rtmp-play") + await Infrastructure.Tiers.SessionsAsync(edge, "http-flv"));
            // One pull per tier: the upper node sees one HTTP-FLV viewer (the edge), the origin one RTMP viewer (the upper node).
            Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(upper, "http-flv"));
            Assert.Equal(0, await Infrastructure.Tiers.SessionsAsync(upper, "rtmp-play"));
            Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(origin, "rtmp-play"));
            var edgeStream = Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray());
            Assert.Equal("pull", edgeStream.GetProperty("sourceKind").GetString());
            Assert.Contains($"127.0.0.1:{upper.HttpPort}", edgeStream.GetProperty("source").GetString(), StringComparison.Ordinal);
            var route = Assert.Single((await Appliancectl.JsonAsync(edge, "routes")).GetProperty("routes").EnumerateArray());
            Assert.Equal(["cam"], route.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Viewers_of_a_stream_no_parent_has_get_404_and_stream_not_found_within_the_wait()
    {
        await using var origin = await DaemonProcess.StartAsync();
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], pull: "\"waitMs\": 1500"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var http = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/none.flv", cts.Token));
        var rtmp = await Assert.ThrowsAnyAsync<Exception>(() => RtmpViewer.PlayAsync(edge.RtmpPort, "live", "none", cts.Token));

        Assert.Equal(404, http.Status);
        Assert.Contains("StreamNotFound", rtmp.Message, StringComparison.Ordinal);
        await edge.WaitForLogAsync(l => l.Contains("pull default/live/none: giving up", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task A_parent_that_lacks_a_stream_is_not_marked_down_and_serves_the_next_stream_at_once()
    {
        await using var origin = await DaemonProcess.StartAsync();
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin), Infrastructure.Tiers.Flv(origin)], pull: "\"waitMs\": 500, \"retryMs\": 100"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Five misses: with each counted as a failure, three in a row would mark both paths down.
        for (var i = 0; i < 5; i++)
        {
            var miss = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(edge.HttpPort, $"/live/none{i}.flv", cts.Token));
            Assert.Equal(404, miss.Status);
        }

        var routes = (await Appliancectl.JsonAsync(edge, "routes")).GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(2, routes.Count);
        Assert.All(routes, r => Assert.False(r.GetProperty("down").GetBoolean(), r.ToString()));
        Assert.All(routes, r => Assert.Equal(0, r.GetProperty("failures").GetInt32()));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        var started = DateTime.UtcNow;
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 1, Wait, "the first frame at the edge");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), $"the first frame took {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task The_pull_stops_after_the_idle_time_once_the_last_viewer_left()
    {
        await using var origin = await DaemonProcess.StartAsync();
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], pull: "\"idleMs\": 1500"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames");
        Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(origin, "rtmp-play"));

        await viewer.DisposeAsync();

        await edge.WaitForLogAsync(l => l.Contains("pull default/live/cam: no viewer for 1500 ms, stopping", StringComparison.Ordinal), Wait);
        var deadline = DateTime.UtcNow + Wait;
        while (await Infrastructure.Tiers.SessionsAsync(origin, "rtmp-play") != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the origin still has the edge's pull session");
            await Task.Delay(100);
        }
        Assert.Equal(0, (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").GetArrayLength());
    }
}
