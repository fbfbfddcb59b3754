using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>HEVC over enhanced RTMP ('hvc1' FourCC) passes through RTMP and HTTP-FLV unchanged.</summary>
public sealed class HevcTests
{
    [FfmpegEnhancedRtmpFact]
    public async Task Ffmpeg_publishes_hevc_over_enhanced_rtmp_and_ffprobe_reads_it_back()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = ExternalProcess.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-c:v", "libx265", "-preset", "ultrafast", "-g", "25",
            "-f", "flv", daemon.RtmpUrl("live/hevc"));
        await StreamApi.WaitForFramesAsync(daemon, "hevc", minFrames: 25, TimeSpan.FromSeconds(30));

        var probe = await Ffmpeg.ProbeAsync(daemon.HttpUrl("live/hevc.flv"), 3, TimeSpan.FromSeconds(30));

        Assert.Equal("hevc", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
    }

    [Fact]
    public async Task Enhanced_rtmp_hevc_frames_reach_rtmp_and_http_flv_viewers_byte_for_byte_and_the_codec_is_recognised()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var publisher = await RtmpClients.ConnectAsync(daemon.RtmpPort, "live", cts.Token);
        await publisher.PublishAsync("hevc", cts.Token);
        var frames = HevcSample.EnhancedRtmpTags();
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, frames[0], cts.Token);
        await publisher.SendMediaAsync(RtmpMessageType.Video, 0, frames[1], cts.Token);
        await StreamApi.WaitForFramesAsync(daemon, "hevc", minFrames: 2, TimeSpan.FromSeconds(10));

        await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "hevc", cts.Token));
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/hevc.flv", cts.Token));
        for (var i = 2; i < frames.Count; i++)
        {
            await publisher.SendMediaAsync(RtmpMessageType.Video, (uint)(i - 1) * 40, frames[i], cts.Token);
        }

        foreach (var viewer in new[] { rtmp, flv })
        {
            await viewer.WaitUntilAsync(v => v.VideoFrames >= frames.Count - 1, TimeSpan.FromSeconds(10), "every HEVC frame");
            var received = viewer.FirstMessages.Where(m => m.IsVideo).Select(m => m.Payload).ToList();
            Assert.Equal(frames.Count, received.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(frames[i], received[i]);
            }
            Assert.True(viewer.FirstVideoFrameWasKey);
        }
        var listing = await StreamApi.FindAsync(daemon, "hevc");
        Assert.Equal("hevc", listing!.Value.GetProperty("videoCodec").GetString());
        Assert.Equal(HevcSample.Width, listing.Value.GetProperty("width").GetInt32());
        Assert.Equal(HevcSample.Height, listing.Value.GetProperty("height").GetInt32());
    }
}

/// <summary>Runs only where this machine's ffmpeg can write HEVC into FLV (enhanced RTMP, ffmpeg 6.1 and later).</summary>
public sealed class FfmpegEnhancedRtmpFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Supported = new(Probe);

    public FfmpegEnhancedRtmpFactAttribute()
    {
        if (!Supported.Value)
        {
            Skip = "this machine's ffmpeg cannot publish HEVC over enhanced RTMP (its FLV muxer rejects hevc; needs ffmpeg 6.1+); " +
                   "HEVC pass-through is covered with the appliance's own client instead";
        }
    }

    private static bool Probe()
    {
        var process = ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), "ffmpeg", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5:duration=0.4", "-c:v", "libx265", "-f", "flv", "-y", "/dev/null").GetAwaiter().GetResult();
        return process.ExitCode == 0;
    }
}
