using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// An edge with two parents keeps its viewers when the parent it pulls from dies, and their
/// timeline goes on. The streams are as old as production: timestamps an hour in, or crossing
/// RTMP's 32-bit wrap, and running longer than every window in the code before the fault.
/// </summary>
public sealed class FailoverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Longer than the 10 s same-timeline window, the GOP cache and the 12 s HLS window.
    private const int AgeBeforeFaultSeconds = 15;

    [Fact]
    public async Task Killing_the_chosen_parent_of_an_hour_old_stream_moves_the_pull_and_the_viewer_keeps_its_timeline()
    {
        await RunAsync(async origin =>
        {
            var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
            await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
            return publisher;
        });
    }

    [Fact]
    public async Task Killing_the_chosen_parent_just_after_rtmp_timestamps_wrapped_keeps_the_viewers_timeline()
    {
        await RunAsync(async origin =>
        {
            // 12 s before 2^32 ms: the edge's timeline crosses the wrap, and the fault comes after it,
            // when the new parent's 32-bit stamps have started again near 0.
            var publisher = await OffsetPublisher.StartAsync(origin, "cam", OffsetPublisher.BeforeTheWrapMs, CancellationToken.None);
            await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
            return publisher;
        }, faultAfterMs: 1L << 32);
    }

    /// <summary>Origin, two parents pulling from it, an edge with both as upstreams; the fault once the edge's stream is older than every window (and its timeline past <paramref name="faultAfterMs"/>).</summary>
    private static async Task RunAsync(Func<DaemonProcess, Task<IAsyncDisposable>> publishAgedStream, long faultAfterMs = 0)
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        var parentA = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-a"));
        var parentB = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-b"));
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(parentA), Infrastructure.Tiers.Flv(parentB)], pull: "\"stallMs\": 1000"),
            rootJson: Infrastructure.Tiers.Node("edge"));
        try
        {
            await using var publisher = await publishAgedStream(origin);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
            await using var ffmpegViewer = ExternalProcess.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", edge.HttpUrl("live/cam.flv"), "-f", "null", "-");
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames before the failover");
            await StreamApi.WaitForUptimeAsync(edge, "cam", AgeBeforeFaultSeconds, Wait);
            await viewer.WaitUntilAsync(v => v.LastVideoTimestamp > faultAfterMs, Wait, $"the viewer's timeline past {faultAfterMs} ms");
            // HLS packaging runs at the edge before the switch, so its playlist spans it.
            var beforeSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.Entries.Count >= 1, Wait, "a segment before the failover");
            var chosen = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams")[0].GetProperty("source").GetString()!;
            var (dying, surviving) = chosen.Contains($":{parentA.RtmpPort}/", StringComparison.Ordinal) ? (parentA, parentB) : (parentB, parentA);
            // A loaded machine may already have moved the pull or skipped a slow pull ahead: judge the timeline from here.
            viewer.RestartTimelineChecks();
            var before = viewer.VideoFrames;
            // A loaded machine may already have moved the pull once (stallMs 1000); count from here.
            var seamlessBefore = (await StreamApi.FindAsync(edge, "cam"))!.Value.GetProperty("seamlessSourceChanges").GetInt64();

            await dying.SignalAsync("KILL");

            await viewer.WaitUntilAsync(v => v.VideoFrames >= before + 100, Wait, "100 more frames after the failover");
            viewer.AssertContinuousTimeline(context: $"the parent was killed after video frame {before}; edge log:\n{string.Join('\n', edge.Lines.Where(l => l.Contains("pull", StringComparison.Ordinal) || l.Contains("timeline", StringComparison.Ordinal)))}");
            Assert.False(viewer.Ended);
            Assert.True(viewer.LongestGapMs < 5000, $"the viewer saw a gap of {viewer.LongestGapMs} ms");
            Assert.False(ffmpegViewer.HasExited, $"ffmpeg stopped playing: {ffmpegViewer.Stderr}");
            // Both parents carry the origin's timestamps: the timeline goes on, and HLS players see no discontinuity.
            Assert.True(edge.HasLog(l => l.Contains("stream default/live/cam: the new source continues the same timeline", StringComparison.Ordinal)),
                string.Join('\n', edge.Lines.Where(l => l.Contains("timeline", StringComparison.Ordinal))));
            Assert.True((await StreamApi.FindAsync(edge, "cam"))!.Value.GetProperty("seamlessSourceChanges").GetInt64() > seamlessBefore, "the failover was not counted as seamless");
            Assert.False(edge.HasLog(l => l.Contains("starts a new timeline", StringComparison.Ordinal)),
                string.Join('\n', edge.Lines.Where(l => l.Contains("timeline", StringComparison.Ordinal))));
            var afterSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.MediaSequence + p.Entries.Count > beforeSwitch.MediaSequence + beforeSwitch.Entries.Count + 1,
                Wait, "two more segments after the failover");
            Assert.Equal(0, afterSwitch.DiscontinuityTags);
            Assert.Equal(0, afterSwitch.DiscontinuitySequence);
            Assert.True(afterSwitch.Entries.All(e => e.Duration < 4), afterSwitch.Text);
            await edge.WaitForLogAsync(l => l.Contains("pull default/live/cam: media flows from", StringComparison.Ordinal) && l.Contains(surviving == parentA ? $":{parentA.RtmpPort}/" : $":{parentB.HttpPort}/", StringComparison.Ordinal), Wait);
            var now = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams")[0].GetProperty("source").GetString()!;
            Assert.NotEqual(chosen, now);
            var routes = (await Appliancectl.JsonAsync(edge, "routes")).GetProperty("routes").EnumerateArray().ToList();
            Assert.Contains(routes, r => r.GetProperty("streams").GetArrayLength() == 1 && now.EndsWith(r.GetProperty("url").GetString()!, StringComparison.Ordinal));
        }
        finally
        {
            await parentA.DisposeAsync();
            await parentB.DisposeAsync();
        }
    }
}
