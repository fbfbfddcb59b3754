using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A node with transport.send io_uring: the same playback a node on epoll gives, through the
/// ring, and /metrics saying so. The stream is aged (an hour in), as production streams are.
/// </summary>
public sealed class IoUringPlaybackTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Rtmp_and_http_flv_viewers_get_h264_and_aac_with_continuous_timestamps_through_the_ring()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: """ "transport": { "send": "io_uring" }, """);
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/ring"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(daemon, "ring", minFrames: 60, TimeSpan.FromSeconds(30));
        Assert.True(daemon.HasLog(l => l.Contains("writing through io_uring", StringComparison.Ordinal)), "the daemon did not say it writes through io_uring");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var opening = new List<Task<IMediaSource>>();
        for (var i = 0; i < 10; i++)
        {
            opening.Add(OpenRtmpAsync(daemon, cts.Token));
            opening.Add(OpenFlvAsync(daemon, cts.Token));
        }
        var viewers = (await Task.WhenAll(opening)).Select(s => new ViewerRecorder(s)).ToList();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitUntilAsync(v => v.VideoFrames >= 100 && v.AudioFrames >= 100, TimeSpan.FromSeconds(30), "100 video and 100 audio frames");
            }
            Assert.All(viewers, v =>
            {
                Assert.True(v.FirstVideoFrameWasKey, "the first video frame was not a keyframe");
                Assert.Null(v.Error);
                v.AssertContinuousTimeline();
            });
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }

        await ProbedPlayback.AssertH264AndAacAsync(daemon.RtmpUrl("live/ring"));
        await ProbedPlayback.AssertH264AndAacAsync(daemon.HttpUrl("live/ring.flv"));

        var metrics = PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));
        Assert.Equal(1, metrics.Value("appliance_transport_send_info", "send=\"io_uring\""));
        Assert.True(metrics.Value("appliance_uring_submitted_total") > 0, "nothing went through the ring");
        Assert.True(metrics.Value("appliance_uring_enters_total") > 0, "no io_uring_enter");
    }

    private static async Task<IMediaSource> OpenRtmpAsync(DaemonProcess daemon, CancellationToken ct) => await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "ring", ct);

    private static async Task<IMediaSource> OpenFlvAsync(DaemonProcess daemon, CancellationToken ct) => await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/ring.flv", ct);
}
