using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>The push method: a stream published at one node is forwarded over RTMP to the upper tier.</summary>
public sealed class PushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_stream_published_at_an_edge_configured_to_push_plays_at_the_upper_node()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Push(Infrastructure.Tiers.Rtmp(upper)), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(edge, "cam", minFrames: 30, Wait);

        var rtmp = await Ffmpeg.ProbeAsync(upper.RtmpUrl("live/cam"), seconds: 3, Wait);
        var flv = await Ffmpeg.ProbeAsync(upper.HttpUrl("live/cam.flv"), seconds: 3, Wait);

        foreach (var probe in new[] { rtmp, flv })
        {
            Assert.Equal("h264", probe.Video.CodecName);
            Assert.Equal(640, probe.Video.Width);
            Assert.Equal(360, probe.Video.Height);
            Assert.Equal("aac", probe.Audio.CodecName);
            var video = probe.PacketsOf(probe.Video);
            Assert.True(video.Count >= 40, $"only {video.Count} video packets");
            Assert.True(video[0].Key, "the first video packet is not a keyframe");
        }
        // At the upper node the stream is an ordinary published stream, fed by one session from the edge.
        var upperStream = await SingleStreamAsync(upper);
        Assert.Equal("publisher", upperStream.GetProperty("sourceKind").GetString());
        Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(upper, "rtmp-publish"));
        var push = Assert.Single((await SingleStreamAsync(edge)).GetProperty("pushes").EnumerateArray());
        Assert.Equal($"rtmp://127.0.0.1:{upper.RtmpPort}/live", push.GetProperty("target").GetString());
        Assert.Equal("forwarding", push.GetProperty("state").GetString());
        Assert.True(push.GetProperty("bytesSent").GetInt64() > 100_000, push.ToString());
        // A push is not a viewer of the edge.
        Assert.Equal(0, (await SingleStreamAsync(edge)).GetProperty("viewers").GetProperty("rtmp").GetInt32());
        await edge.WaitForLogAsync(l => l.Contains($"push default/live/cam to rtmp://127.0.0.1:{upper.RtmpPort}/live: forwarding", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task A_push_of_an_hour_old_stream_cut_midway_reconnects_and_viewers_at_the_upper_node_keep_their_timeline()
    {
        await using var upper = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 10000", rootJson: Infrastructure.Tiers.Node("upper"));
        await using var relay = new ImpairmentRelay(upper.RtmpPort);
        await using var edge = await DaemonProcess.StartAsync(appJson: Push($"rtmp://127.0.0.1:{relay.Port}/live") + ", \"pull\": { \"retryMs\": 200 }",
            rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(upper.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 30, Wait, "30 frames at the upper node");
        var beforeCut = await Hls.WaitForPlaylistAsync(upper, "/live/cam.m3u8", p => p.Entries.Count >= 1, Wait, "a segment before the cut");
        // Older than the 10 s same-timeline window and the 12 s HLS window.
        await StreamApi.WaitForUptimeAsync(upper, "cam", 15, Wait);
        var before = viewer.VideoFrames;

        relay.Cut();

        await edge.WaitForLogAsync(l => l.Contains("push default/live/cam to", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal), Wait);
        await viewer.WaitUntilAsync(v => v.VideoFrames >= before + 75, Wait, "75 more frames after the push reconnected");
        Assert.True(relay.Accepted >= 2, $"the edge connected {relay.Accepted} times");
        viewer.AssertContinuousTimeline();
        Assert.False(viewer.Ended);
        // The push carries the edge's own timeline again: the upper continues it, and HLS has no break.
        Assert.True(upper.HasLog(l => l.Contains("stream default/live/cam: the new source continues the same timeline", StringComparison.Ordinal)),
            string.Join('\n', upper.Lines.Where(l => l.Contains("timeline", StringComparison.Ordinal))));
        var afterCut = await Hls.WaitForPlaylistAsync(upper, "/live/cam.m3u8", p => p.MediaSequence + p.Entries.Count > beforeCut.MediaSequence + beforeCut.Entries.Count + 1,
            Wait, "two more segments after the cut");
        Assert.Equal(0, afterCut.DiscontinuityTags);
        var push = Assert.Single((await SingleStreamAsync(edge)).GetProperty("pushes").EnumerateArray());
        Assert.Equal(2, push.GetProperty("sessions").GetInt32());
    }

    [Fact]
    public async Task A_push_target_slower_than_the_stream_never_slows_the_publisher_or_local_viewers()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper"));
        await using var relay = new ImpairmentRelay(upper.RtmpPort, maxBufferedBytes: 64 * 1024);
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Push($"rtmp://127.0.0.1:{relay.Port}/live") + ", \"maxViewerLagMs\": 1000, \"maxViewerSkipsPerMinute\": 1, \"pull\": { \"retryMs\": 200 }",
            rootJson: Infrastructure.Tiers.Node("edge"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var publisher = await FloodPublisher.StartAsync(edge.RtmpPort, "flood", cts.Token);
        await StreamApi.WaitForFramesAsync(edge, "flood", minFrames: 10, Wait);
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "flood", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the edge");
        await edge.WaitForLogAsync(l => l.Contains("push default/live/flood to", StringComparison.Ordinal) && l.Contains("forwarding", StringComparison.Ordinal), Wait);

        // Only now does the target's path become slow: 200 KB/s against a 5 MB/s stream (the flood
        // publisher), so the socket buffers on the way fill within seconds. Throttled from the start,
        // a busy machine could give the push up before the viewer above was ready to be measured.
        var started = DateTime.UtcNow;
        var frames = viewer.VideoFrames;
        var relayedBefore = relay.BytesToTarget;
        var inBefore = (await SingleStreamAsync(edge)).GetProperty("bytesIn").GetInt64();
        relay.ToTarget = new Impairment { RateBytesPerSecond = 200_000 };

        // The forwarder falls behind, skips, then gives the session up as too slow and reconnects.
        await edge.WaitForLogAsync(l => l.Contains("push default/live/flood to", StringComparison.Ordinal) && l.Contains("viewer too slow", StringComparison.Ordinal), Wait);

        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var rate = (viewer.VideoFrames - frames) / seconds;
        // A session is given up at its second skip, and each skip needs the lag to grow to maxViewerLagMs.
        Assert.True(seconds >= 1.5, $"the push was given up after only {seconds:F1} s");
        Assert.True(rate >= 20, $"the local viewer got {rate:F1} frames/s while the push was slow (the stream has 25)");
        var stream = await SingleStreamAsync(edge);
        Assert.True(stream.GetProperty("ingestFps").GetDouble() >= 20, $"the publisher was slowed to {stream.GetProperty("ingestFps").GetDouble()} fps");
        // The slow path really was slow: it carried far less than the stream meanwhile.
        var relayed = relay.BytesToTarget - relayedBefore;
        var ingested = stream.GetProperty("bytesIn").GetInt64() - inBefore;
        Assert.True(relayed < ingested / 4, $"{relayed} bytes went through the slow path while {ingested} came in");
    }

    [Fact]
    public async Task Two_nodes_pushing_to_each_other_do_not_loop()
    {
        await using var a = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("node-a"));
        await using var b = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("node-b"));
        // Each node's push target is the other: only known once both listen, so set by a reload.
        await File.WriteAllTextAsync(a.ConfigPath, DaemonProcess.ConfigText(a.ControlSocket, appJson: Push(Infrastructure.Tiers.Rtmp(b)), rootJson: Infrastructure.Tiers.Node("node-a")));
        await File.WriteAllTextAsync(b.ConfigPath, DaemonProcess.ConfigText(b.ControlSocket, appJson: Push(Infrastructure.Tiers.Rtmp(a)), rootJson: Infrastructure.Tiers.Node("node-b")));
        Assert.Equal(0, (await Appliancectl.RunAsync(a, "reload")).ExitCode);
        Assert.Equal(0, (await Appliancectl.RunAsync(b, "reload")).ExitCode);

        await using var publisher = Ffmpeg.Publish(a.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);

        // The stream reaches node-b; node-b's push back to node-a is refused there as a loop.
        await a.WaitForLogAsync(l => l.Contains("loop: the request already passed through this node (node-a -> node-b)", StringComparison.Ordinal), Wait);
        await b.WaitForLogAsync(l => l.Contains($"push default/live/cam to rtmp://127.0.0.1:{a.RtmpPort}/live: failed: publish refused", StringComparison.Ordinal), Wait);
        var probe = await Ffmpeg.ProbeAsync(b.RtmpUrl("live/cam"), seconds: 2, Wait);
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.True(probe.PacketsOf(probe.Video).Count >= 25);
        // node-a still has its own publisher's stream, and one publish session: the local one.
        Assert.Equal("publisher", (await SingleStreamAsync(a)).GetProperty("sourceKind").GetString());
        Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(a, "rtmp-publish"));
        Assert.False(publisher.HasExited, publisher.Stderr);
    }

    [Fact]
    public async Task A_target_that_refuses_the_publish_is_retried_and_the_local_stream_is_unharmed()
    {
        // The upper node has no app "ingest": connect is refused, every attempt.
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Push($"rtmp://127.0.0.1:{upper.RtmpPort}/ingest") + ", \"pull\": { \"retryMs\": 100, \"maxRetryMs\": 400 }",
            rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);

        await StreamApi.WaitForFramesAsync(edge, "cam", minFrames: 30, Wait);
        var deadline = DateTime.UtcNow + Wait;
        while (edge.Lines.Count(l => l.Contains("push default/live/cam to", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal)) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the push was not retried three times");
            await Task.Delay(100);
        }

        var push = Assert.Single((await SingleStreamAsync(edge)).GetProperty("pushes").EnumerateArray());
        Assert.NotEqual("forwarding", push.GetProperty("state").GetString());
        Assert.Contains("refused", push.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var probe = await Ffmpeg.ProbeAsync(edge.RtmpUrl("live/cam"), seconds: 2, Wait);
        Assert.True(probe.PacketsOf(probe.Video).Count >= 25);
    }

    private static string Push(params string[] targets) =>
        "\"push\": [" + string.Join(", ", targets.Select(t => $"\"{t}\"")) + "]";

    private static async Task<JsonElement> SingleStreamAsync(DaemonProcess node) =>
        Assert.Single((await Appliancectl.JsonAsync(node, "streams")).GetProperty("streams").EnumerateArray());
}
