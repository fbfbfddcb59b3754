using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// SRT between tiers: an edge pulling over SRT from an upper node, a push over SRT up to one, and
/// failover between an SRT and an RTMP parent. Streams an hour old, published over RTMP at the top.
/// </summary>
public sealed class SrtTierTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Longer than the 10 s same-timeline window, the GOP cache and the 12 s HLS window.
    private const int AgeBeforeFaultSeconds = 15;

    private const long AnHourMs = Ffmpeg.AnHourIn * 1000L;

    [Fact]
    public async Task An_edge_pulling_over_srt_plays_over_rtmp_and_http_flv_on_the_parents_timeline()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + SrtListen);
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Srt(upper)]), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(upper.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);

        var rtmp = await Ffmpeg.ProbeAsync(edge.RtmpUrl("live/cam"), seconds: 3, Wait);
        var flv = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 3, Wait);
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

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await using var flvViewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 100, Wait, "100 frames at the edge");
        await flvViewer.WaitUntilAsync(v => v.VideoFrames >= 100, Wait, "100 frames at the edge over HTTP-FLV");
        Assert.True(viewer.FirstVideoFrameWasKey);
        viewer.AssertContinuousTimeline();
        flvViewer.AssertContinuousTimeline();
        // The parent's clock, carried through TS's 90 kHz stamps: an hour in at the edge as at the upper node.
        Assert.InRange(viewer.LastVideoTimestamp, AnHourMs, AnHourMs + 120_000);
        await using var upperViewer = new ViewerRecorder(await RtmpViewer.PlayAsync(upper.RtmpPort, "live", "cam", cts.Token));
        await upperViewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the upper node");
        Assert.InRange(viewer.LastVideoTimestamp - upperViewer.LastVideoTimestamp, -5_000, 5_000);

        // One SRT session at the upper node feeds the edge; the edge's stream names it as its source.
        Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(upper, "srt-play"));
        var edgeStream = Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray());
        Assert.Equal("pull", edgeStream.GetProperty("sourceKind").GetString());
        Assert.Equal($"pull {Srt(upper)}", edgeStream.GetProperty("source").GetString());
        await edge.WaitForLogAsync(l => l.Contains($"pull default/live/cam: media flows from {Srt(upper)}", StringComparison.Ordinal), Wait);
        // The route shows SRT's own figures of the running pull.
        var route = default(JsonElement);
        await Conditions.UntilAsync(async () =>
        {
            route = Assert.Single((await Appliancectl.JsonAsync(edge, "routes")).GetProperty("routes").EnumerateArray());
            return route.TryGetProperty("lossPercent", out var loss) && loss.ValueKind == JsonValueKind.Number;
        }, Wait, "SRT link figures in the routes table");
        // Loopback loses little, but a loaded machine's UDP buffers do drop some (SRT repairs them):
        // the parent's GOP comes as a burst at the pull's start, and 5.6% of a short session's
        // packets were seen lost on a busy 2-core machine. A quarter would mean something else.
        Assert.InRange(route.GetProperty("lossPercent").GetDouble(), 0, 25);
        Assert.InRange(route.GetProperty("retransmitPercent").GetDouble(), 0, 100);
        Assert.Equal(JsonValueKind.Number, route.GetProperty("rttMs").ValueKind);
        Assert.Equal(JsonValueKind.Number, route.GetProperty("connectMs").ValueKind);
        Assert.Equal(["cam"], route.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));
        Assert.False(route.GetProperty("down").GetBoolean());
        var table = (await Appliancectl.RunAsync(edge, "routes")).Stdout;
        Assert.Contains("LOSS", table, StringComparison.Ordinal);
        Assert.Contains("RETRANS", table, StringComparison.Ordinal);
        Assert.Contains(Srt(upper), table, StringComparison.Ordinal);
        // Probes of an SRT parent make no sessions and no log lines there.
        Assert.False(upper.HasLog(l => l.Contains("srt handshake from", StringComparison.Ordinal)), string.Join('\n', upper.Lines.Where(l => l.Contains("srt", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task An_srt_pull_of_a_stream_crossing_the_rtmp_wrap_keeps_the_parents_64_bit_timeline()
    {
        // TS stamps alone would put 2^32 ms near 0 (it is 45 wraps of TS's 33-bit 90 kHz clock and
        // 31 ms): the parent's media time packet places them where the parent has them.
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + SrtListen);
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Srt(upper)]), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = await OffsetPublisher.StartAsync(upper, "cam", OffsetPublisher.BeforeTheWrapMs, CancellationToken.None);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the edge");
        Assert.InRange(viewer.LastVideoTimestamp, OffsetPublisher.BeforeTheWrapMs - 5_000, (1L << 32) + 60_000);
        await viewer.WaitUntilAsync(v => v.LastVideoTimestamp > (1L << 32) + 2_000, Wait, "the edge's timeline past 2^32 ms");
        viewer.AssertContinuousTimeline();
        Assert.False(edge.HasLog(l => l.Contains("sent a bad media time", StringComparison.Ordinal)), string.Join('\n', edge.Lines));
    }

    [Fact]
    public async Task A_stream_pushed_over_srt_from_an_edge_plays_at_the_upper_node()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper") + SrtListen);
        await using var edge = await DaemonProcess.StartAsync(appJson: $"\"push\": [\"{Srt(upper)}\"]", rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(edge.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(edge, "cam", minFrames: 30, Wait);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);

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
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(upper.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 75, Wait, "75 frames at the upper node");
        viewer.AssertContinuousTimeline();
        Assert.InRange(viewer.LastVideoTimestamp, AnHourMs, AnHourMs + 120_000);

        // At the upper node an SRT publisher; at the edge a push in state forwarding, not a viewer.
        var upperStream = Assert.Single((await Appliancectl.JsonAsync(upper, "streams")).GetProperty("streams").EnumerateArray());
        Assert.Equal("publisher", upperStream.GetProperty("sourceKind").GetString());
        Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(upper, "srt-publish"));
        var edgeStream = Assert.Single((await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray());
        var push = Assert.Single(edgeStream.GetProperty("pushes").EnumerateArray());
        Assert.Equal(Srt(upper), push.GetProperty("target").GetString());
        Assert.Equal("forwarding", push.GetProperty("state").GetString());
        Assert.True(push.GetProperty("bytesSent").GetInt64() > 100_000, push.ToString());
        Assert.Equal(0, edgeStream.GetProperty("viewers").GetProperty("ts").GetInt32());
        await edge.WaitForLogAsync(l => l.Contains($"push default/live/cam to {Srt(upper)}: forwarding", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Killing_the_chosen_parent_moves_the_pull_between_srt_and_rtmp_and_the_viewer_keeps_its_timeline()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        var srtParent = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-srt") + SrtListen);
        var rtmpParent = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-rtmp"));
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Srt(srtParent), Infrastructure.Tiers.Rtmp(rtmpParent)], pull: "\"stallMs\": 1000"),
            rootJson: Infrastructure.Tiers.Node("edge"));
        try
        {
            await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
            await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
            await using var ffmpegViewer = ExternalProcess.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", edge.HttpUrl("live/cam.flv"), "-f", "null", "-");
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames before the failover");
            await StreamApi.WaitForUptimeAsync(edge, "cam", AgeBeforeFaultSeconds, Wait);
            var beforeSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.Entries.Count >= 1, Wait, "a segment before the failover");
            var chosen = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams")[0].GetProperty("source").GetString()!;
            var (dying, surviving) = chosen.StartsWith("pull srt://", StringComparison.Ordinal) ? (srtParent, rtmpParent) : (rtmpParent, srtParent);
            // As in FailoverTests: what a loaded machine did to the stream long before is not the fault's.
            viewer.RestartTimelineChecks();
            var before = viewer.VideoFrames;
            var seamlessBefore = (await StreamApi.FindAsync(edge, "cam"))!.Value.GetProperty("seamlessSourceChanges").GetInt64();

            await dying.SignalAsync("KILL");

            await viewer.WaitUntilAsync(v => v.VideoFrames >= before + 100, Wait, "100 more frames after the failover");
            viewer.AssertContinuousTimeline(context: $"{chosen} was killed after video frame {before}; edge log:\n{string.Join('\n', edge.Lines.Where(l => l.Contains("pull", StringComparison.Ordinal) || l.Contains("timeline", StringComparison.Ordinal)))}");
            Assert.False(viewer.Ended);
            Assert.True(viewer.LongestGapMs < 5000, $"the viewer saw a gap of {viewer.LongestGapMs} ms");
            Assert.InRange(viewer.LastVideoTimestamp, AnHourMs, AnHourMs + 180_000);
            Assert.False(ffmpegViewer.HasExited, $"ffmpeg stopped playing: {ffmpegViewer.Stderr}");
            // Both parents carry the origin's timestamps, whichever protocol: the timeline goes on.
            Assert.True(edge.HasLog(l => l.Contains("stream default/live/cam: the new source continues the same timeline", StringComparison.Ordinal)),
                string.Join('\n', edge.Lines.Where(l => l.Contains("timeline", StringComparison.Ordinal))));
            Assert.True((await StreamApi.FindAsync(edge, "cam"))!.Value.GetProperty("seamlessSourceChanges").GetInt64() > seamlessBefore, "the failover was not counted as seamless");
            Assert.False(edge.HasLog(l => l.Contains("starts a new timeline", StringComparison.Ordinal)),
                string.Join('\n', edge.Lines.Where(l => l.Contains("timeline", StringComparison.Ordinal))));
            var afterSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.MediaSequence + p.Entries.Count > beforeSwitch.MediaSequence + beforeSwitch.Entries.Count + 1,
                Wait, "two more segments after the failover");
            Assert.Equal(0, afterSwitch.DiscontinuityTags);
            var survivor = surviving == srtParent ? Srt(srtParent) : $"rtmp://127.0.0.1:{rtmpParent.RtmpPort}/live";
            await edge.WaitForLogAsync(l => l.Contains($"pull default/live/cam: media flows from {survivor}", StringComparison.Ordinal), Wait);
            var now = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams")[0].GetProperty("source").GetString()!;
            Assert.Equal($"pull {survivor}", now);
        }
        finally
        {
            await srtParent.DisposeAsync();
            await rtmpParent.DisposeAsync();
        }
    }

    internal const string SrtListen = """ "srt": { "listen": "127.0.0.1:0" }, """;

    /// <summary>The canonical srt:// candidate of a node's SRT listener (no options: the default stream ids).</summary>
    internal static string Srt(DaemonProcess parent) => $"srt://127.0.0.1:{parent.PortOf("srt")}";
}
