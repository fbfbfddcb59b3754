using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>A publisher that drops keeps its viewers for the grace period; after it they get end of stream.</summary>
public sealed class RepublishTests
{
    [Fact]
    public async Task Republishing_an_hour_old_stream_within_the_grace_period_keeps_viewers_playing_on_one_timeline()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        // Both encoders stamp their headers 0 and their media an hour or two in; the first runs longer than any window.
        await using (var first = Ffmpeg.Publish(daemon.RtmpUrl("live/re"), seconds: 14, startSeconds: Ffmpeg.AnHourIn))
        {
            await StreamApi.WaitForFramesAsync(daemon, "re", minFrames: 10, TimeSpan.FromSeconds(20));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "re", cts.Token));
            await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/re.flv", cts.Token));
            await rtmp.WaitUntilAsync(v => v.VideoFrames >= 10, TimeSpan.FromSeconds(10), "10 frames from the first publisher");
            await flv.WaitUntilAsync(v => v.VideoFrames >= 10, TimeSpan.FromSeconds(10), "10 frames from the first publisher");
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the first publisher did not finish");
            await daemon.WaitForLogAsync(l => l.Contains("publish stop default/live/re", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var beforeRepublish = (rtmp.VideoFrames, flv.VideoFrames, rtmp.LastVideoTimestamp);

            await using var second = Ffmpeg.Publish(daemon.RtmpUrl("live/re"), seconds: 30, startSeconds: 2 * Ffmpeg.AnHourIn);

            await rtmp.WaitUntilAsync(v => v.VideoFrames >= beforeRepublish.Item1 + 50, TimeSpan.FromSeconds(20), "50 frames from the second publisher");
            await flv.WaitUntilAsync(v => v.VideoFrames >= beforeRepublish.Item2 + 50, TimeSpan.FromSeconds(20), "50 frames from the second publisher");
            Assert.False(rtmp.Ended);
            Assert.False(flv.Ended);
            rtmp.AssertContinuousTimeline();
            flv.AssertContinuousTimeline();
            Assert.True(rtmp.LastVideoTimestamp > beforeRepublish.LastVideoTimestamp + 1000,
                $"timestamps did not continue: {beforeRepublish.LastVideoTimestamp} -> {rtmp.LastVideoTimestamp}");
        }
    }

    [Fact]
    public async Task After_the_grace_period_viewers_get_end_of_stream()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 1000");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/short"), seconds: 3);
        await StreamApi.WaitForFramesAsync(daemon, "short", minFrames: 10, TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var rtmpSource = await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "short", cts.Token);
        await using var rtmp = new ViewerRecorder(rtmpSource);
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/short.flv", cts.Token));

        await rtmp.WaitUntilAsync(v => v.Ended, TimeSpan.FromSeconds(20), "end of stream over RTMP");
        await flv.WaitUntilAsync(v => v.Ended, TimeSpan.FromSeconds(20), "end of the HTTP-FLV response");

        Assert.True(rtmpSource.Client.StreamEofReceived, "no Stream EOF before the close");
        Assert.Equal("NetStream.Play.UnpublishNotify", rtmpSource.Client.LastStatusCode);
        Assert.Null(rtmp.Error);
        Assert.True(rtmp.VideoFrames > 10 && flv.VideoFrames > 10);
        Assert.Null(await StreamApi.FindAsync(daemon, "short"));
    }
}
