using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A node asked for io_uring where the kernel refuses it (here the disable variable, as a
/// seccomp filter or kernel.io_uring_disabled would): it says so in one line, starts anyway on
/// epoll, and plays. The stream is aged (an hour in), as production streams are.
/// </summary>
public sealed class IoUringFallbackTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_refused_ring_is_one_log_line_and_the_node_plays_rtmp_and_http_flv_on_epoll()
    {
        // env execs the daemon in place, so the PID the test ends is the daemon's.
        await using var daemon = await DaemonProcess.StartAsync(rootJson: """ "transport": { "send": "io_uring" }, """,
            prefix: ["env", "APPLIANCE_IO_URING_DISABLE=1"]);
        var fallback = await daemon.WaitForLogAsync(l => l.Contains("io_uring unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("transport.send io_uring: io_uring unavailable (APPLIANCE_IO_URING_DISABLE=1); writing with epoll", fallback, StringComparison.Ordinal);
        Assert.Single(daemon.Lines, l => l.Contains("io_uring unavailable", StringComparison.Ordinal));
        Assert.False(daemon.HasLog(l => l.Contains("writing through io_uring", StringComparison.Ordinal)), "the daemon said it writes through io_uring");

        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/fallback"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(daemon, "fallback", minFrames: 60, TimeSpan.FromSeconds(30));

        await ProbedPlayback.AssertH264AndAacAsync(daemon.RtmpUrl("live/fallback"));
        await ProbedPlayback.AssertH264AndAacAsync(daemon.HttpUrl("live/fallback.flv"));

        var metrics = PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));
        Assert.Equal(1, metrics.Value("appliance_transport_send_info", "send=\"epoll\""));
        Assert.Null(metrics.Value("appliance_transport_send_info", "send=\"io_uring\""));
        Assert.Equal(0, metrics.Value("appliance_uring_submitted_total"));
    }
}
