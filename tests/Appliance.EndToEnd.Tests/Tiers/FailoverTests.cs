using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>An edge with two parents keeps its viewers when the parent it pulls from dies.</summary>
public sealed class FailoverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Killing_the_chosen_parent_moves_the_pull_and_the_viewer_keeps_playing_with_increasing_timestamps()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        var parentA = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-a"));
        var parentB = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("upper-b"));
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(parentA), Infrastructure.Tiers.Flv(parentB)], pull: "\"stallMs\": 1000"),
            rootJson: Infrastructure.Tiers.Node("edge"));
        try
        {
            await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"));
            await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
            await using var ffmpegViewer = ExternalProcess.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", edge.HttpUrl("live/cam.flv"), "-f", "null", "-");
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames before the failover");
            // HLS packaging runs at the edge before the switch, so its playlist spans it.
            var beforeSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.Entries.Count >= 1, Wait, "a segment before the failover");
            var chosen = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams")[0].GetProperty("source").GetString()!;
            var (dying, surviving) = chosen.Contains($":{parentA.RtmpPort}/", StringComparison.Ordinal) ? (parentA, parentB) : (parentB, parentA);
            var before = viewer.VideoFrames;

            await dying.SignalAsync("KILL");

            await viewer.WaitUntilAsync(v => v.VideoFrames >= before + 100, Wait, "100 more frames after the failover");
            Assert.Equal(0, viewer.BackwardSteps);
            Assert.False(viewer.Ended);
            Assert.True(viewer.LongestGapMs < 5000, $"the viewer saw a gap of {viewer.LongestGapMs} ms");
            Assert.False(ffmpegViewer.HasExited, $"ffmpeg stopped playing: {ffmpegViewer.Stderr}");
            // Both parents carry the origin's timestamps: the timeline goes on, and HLS players see no discontinuity.
            var afterSwitch = await Hls.WaitForPlaylistAsync(edge, "/live/cam.m3u8", p => p.MediaSequence + p.Entries.Count > beforeSwitch.MediaSequence + beforeSwitch.Entries.Count + 1,
                Wait, "two more segments after the failover");
            Assert.Equal(0, afterSwitch.DiscontinuityTags);
            Assert.True(edge.HasLog(l => l.Contains("stream default/live/cam: the new source continues the same timeline", StringComparison.Ordinal)));
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
