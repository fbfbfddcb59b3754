using System.Diagnostics;
using System.Net.Sockets;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>SIGTERM (and `appliancectl drain`) stop accepting, let the viewers go on up to a timeout, then exit 0.</summary>
public sealed class DrainTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sigterm_with_viewers_connected_refuses_new_ones_keeps_the_old_ones_playing_then_exits_0()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"control\": { \"socket\": \"" + Path.Combine(Path.GetTempPath(), $"appliance-drain-{Guid.NewGuid():N}.sock") + "\", \"drainTimeoutMs\": 3000 },");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token));
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames");
        await flv.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames");

        var clock = Stopwatch.StartNew();
        await daemon.SignalAsync("TERM");
        await daemon.WaitForLogAsync(l => l.Contains("draining: accepting nothing new; 2 viewer(s)", StringComparison.Ordinal), Wait);
        var (rtmpFrames, flvFrames) = (rtmp.VideoFrames, flv.VideoFrames);

        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", daemon.RtmpPort);
        });
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= rtmpFrames + 25, Wait, "the RTMP viewer keeps playing while draining");
        await flv.WaitUntilAsync(v => v.VideoFrames >= flvFrames + 25, Wait, "the HTTP-FLV viewer keeps playing while draining");
        var exit = await daemon.WaitForExitAsync(Wait);

        Assert.Equal(0, exit);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 15);
        Assert.True(daemon.HasLog(l => l.Contains("drained: 2 viewer(s) still connected are closed now", StringComparison.Ordinal)));
        await rtmp.WaitUntilAsync(v => v.Ended, Wait, "the RTMP viewer is closed at the end of the drain");
    }

    [Fact]
    public async Task Drain_from_appliancectl_exits_as_soon_as_the_last_viewer_leaves()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 5, Wait, "5 frames");

        var drain = await Appliancectl.RunAsync(daemon, "drain", "--timeout", "120");
        Assert.Equal(0, drain.ExitCode);
        Assert.Contains("draining", drain.Stdout, StringComparison.Ordinal);
        var status = (await Appliancectl.JsonAsync(daemon, "status")).GetProperty("status");
        Assert.Equal("draining", status.GetProperty("state").GetString());
        Assert.False(daemon.HasExited);
        await viewer.DisposeAsync();

        Assert.Equal(0, await daemon.WaitForExitAsync(Wait));
        Assert.True(daemon.HasLog(l => l.Contains("drained: 0 viewer(s)", StringComparison.Ordinal)));
    }
}
