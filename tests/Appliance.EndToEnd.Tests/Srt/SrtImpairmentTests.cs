using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>
/// SRT over a long lossy link: ffmpeg publishes through a UDP relay that drops 5% of the datagrams
/// each way and delays the rest 150 ms ± 20 ms each way. With the app's SRT latency above four
/// round trips, SRT repairs the loss in time: an HTTP-FLV viewer at the node plays on with no stall
/// and no step back, and the session's SRT figures show the loss and the retransmissions.
/// </summary>
public sealed class SrtImpairmentTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_publish_over_5_percent_loss_and_300ms_rtt_plays_without_a_stall_and_its_stats_show_the_retransmissions()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            rootJson: """ "srt": { "listen": "127.0.0.1:0" }, """,
            extraAppsJson: """{ "name": "far", "srt": { "latencyMs": 1500 } }""");
        await using var relay = new UdpImpairmentRelay(daemon.PortOf("srt"), lossPercent: 5, delayMs: 150, jitterMs: 20);
        await using var publisher = Ffmpeg.Publish($"srt://127.0.0.1:{relay.Port}?streamid=#!::r=far/cam,m=publish", format: "mpegts");
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(45));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/far/cam.flv", cts.Token));
        // 12 s of a 25 fps stream.
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 300, TimeSpan.FromSeconds(60), "12 s of video through the lossy link");

        Assert.False(viewer.Ended, $"the viewer's stream ended: {viewer.Error?.Message}");
        Assert.Equal(0, viewer.BackwardSteps);
        // A player with a usual 2 s buffer would have stalled on a longer gap.
        Assert.True(viewer.LongestGapMs < 2000, $"the viewer waited {viewer.LongestGapMs} ms for a frame");
        Assert.True(relay.Dropped > 50, $"the relay dropped {relay.Dropped} datagrams");
        var reply = await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "srt-publish");
        var stats = Assert.Single(reply.GetProperty("sessions").EnumerateArray()).GetProperty("srt");
        Assert.True(stats.GetProperty("packetsReceivedLost").GetInt64() > 0, stats.ToString());
        Assert.True(stats.GetProperty("packetsReceivedRetransmitted").GetInt64() > 0, stats.ToString());
        Assert.InRange(stats.GetProperty("rttMs").GetDouble(), 200, 2000);
        var metrics = PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));
        Assert.True(metrics.Value("appliance_srt_packets_retransmitted_total", "direction=\"in\"") > 0, "appliance_srt_packets_retransmitted_total{direction=in}");
        Assert.True(metrics.Value("appliance_srt_publisher_packets_lost_total", "stream=\"default/far/cam\"") > 0, "appliance_srt_publisher_packets_lost_total");
    }
}
