using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>An edge tells its backend when a pull starts, moves to another upstream, and ends.</summary>
public sealed class PullWebhookTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pull_sends_pull_start_then_pull_failover_when_its_upstream_session_is_kicked_then_pull_end_when_idle()
    {
        await using var backend = new HookReceiver();
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        var hooks = $"\"webhooks\": {{ \"urls\": [ \"{backend.Url("/events")}\" ], \"events\": [ \"pull-start\", \"pull-failover\", \"pull-end\" ] }}";
        string[] upstreams = [Infrastructure.Tiers.Rtmp(origin), Infrastructure.Tiers.Flv(origin)];
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp(upstreams, pull: "\"idleMs\": 1000", more: hooks),
            rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames through the pull");
            await backend.WaitForAsync(r => r.Event == "pull-start", Wait, "pull-start");
            var pullAtOrigin = await OnlyViewerSessionAsync(origin);

            await Appliancectl.JsonAsync(origin, "kick", pullAtOrigin.ToString(System.Globalization.CultureInfo.InvariantCulture));

            await backend.WaitForAsync(r => r.Event == "pull-failover", Wait, "pull-failover");
            var frames = viewer.VideoFrames;
            await viewer.WaitUntilAsync(v => v.VideoFrames >= frames + 25, Wait, "25 frames from the other upstream");
        }
        await backend.WaitForAsync(r => r.Event == "pull-end", Wait, "pull-end once nobody watches");

        var events = backend.EventsOf("/events", "cam");
        Assert.Equal(["pull-start", "pull-failover", "pull-end"], events.Select(e => e.Event));
        var (start, failover, end) = (events[0].Json, events[1].Json, events[2].Json);
        Assert.Equal("edge", start.GetProperty("node").GetString());
        Assert.Contains(start.GetProperty("upstream").GetString(), upstreams);
        Assert.Equal(start.GetProperty("upstream").GetString(), failover.GetProperty("previousUpstream").GetString());
        Assert.Equal(upstreams.Single(u => u != start.GetProperty("upstream").GetString()), failover.GetProperty("upstream").GetString());
        Assert.Equal(failover.GetProperty("upstream").GetString(), end.GetProperty("upstream").GetString());
        Assert.Equal("no viewer for 1000 ms", end.GetProperty("reason").GetString());
        Assert.True(end.GetProperty("bytesIn").GetInt64() > 50_000, end.ToString());
        Assert.True(end.GetProperty("durationMs").GetInt64() >= 1000, end.ToString());
        Assert.False(start.TryGetProperty("client", out _));
    }

    /// <summary>The id of the one session playing at <paramref name="node"/>, once the pull's losing attempt has gone.</summary>
    private static async Task<long> OnlyViewerSessionAsync(DaemonProcess node)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var viewers = (await Appliancectl.JsonAsync(node, "sessions")).GetProperty("sessions").EnumerateArray()
                .Where(s => s.GetProperty("protocol").GetString() is "rtmp-play" or "http-flv").ToList();
            if (viewers.Count == 1)
            {
                return viewers[0].GetProperty("id").GetInt64();
            }
            Assert.True(DateTime.UtcNow < deadline, $"{viewers.Count} viewer sessions at {node.ListenHost}");
            await Task.Delay(100);
        }
    }
}
