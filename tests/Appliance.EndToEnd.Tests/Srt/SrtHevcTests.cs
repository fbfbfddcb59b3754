using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>
/// H.265 over SRT: ffmpeg's libx265 in MPEG-TS (stream type 0x24), an hour into its timeline,
/// becomes the same enhanced RTMP HEVC stream an RTMP publisher sends: an HTTP-FLV viewer gets
/// 'hvc1' tags starting with the SequenceStart and a keyframe, and ffprobe reads hevc at its size
/// over CMAF HLS and SRT (this ffmpeg, 5.1, cannot read HEVC in FLV).
/// </summary>
public sealed class SrtHevcTests
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ffmpeg_publishes_h265_over_srt_and_it_plays_as_hevc_at_its_size_over_flv_cmaf_hls_and_srt()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: """ "srt": { "listen": "127.0.0.1:0" }, """);
        var port = daemon.PortOf("srt");
        await using var publisher = ExternalProcess.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=480x270:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:min-keyint=25:scenecut=0:log-level=error",
            "-c:a", "aac", "-b:a", "64k", "-output_ts_offset", Ffmpeg.AnHourIn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", "mpegts", $"srt://127.0.0.1:{port}?streamid=#!::r=live/hevc,m=publish");
        await StreamApi.WaitForFramesAsync(daemon, "hevc", minFrames: 50, TimeSpan.FromSeconds(45));

        var listing = await StreamApi.FindAsync(daemon, "hevc");
        Assert.Equal("hevc", listing!.Value.GetProperty("videoCodec").GetString());
        Assert.Equal((480, 270), (listing.Value.GetProperty("width").GetInt32(), listing.Value.GetProperty("height").GetInt32()));
        using (var cts = new CancellationTokenSource(PlayTimeout))
        {
            await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/hevc.flv", cts.Token));
            await flv.WaitUntilAsync(v => v.VideoFrames >= 50, PlayTimeout, "2 s of HEVC over HTTP-FLV");
            var video = flv.FirstMessages.Where(m => m.IsVideo).Take(2).ToList();
            Assert.All(video, m => Assert.Equal("hvc1"u8.ToArray(), m.Payload[1..5]));
            Assert.Equal(0x90, video[0].Payload[0]);  // enhanced, keyframe, SequenceStart
            Assert.True(flv.FirstVideoFrameWasKey);
            Assert.Equal(0, flv.BackwardSteps);
        }
        foreach (var url in new[] { daemon.HttpUrl("live/hevc/cmaf.m3u8"), $"srt://127.0.0.1:{port}?streamid=#!::r=live/hevc,m=request" })
        {
            var probe = await Ffmpeg.ProbeAsync(url, seconds: 4, PlayTimeout);

            Assert.Equal("hevc", probe.Video.CodecName);
            Assert.Equal((480, 270), (probe.Video.Width, probe.Video.Height));
            Assert.Equal("aac", probe.Audio.CodecName);
            FfmpegPlayback.AssertContinuous(probe, minSeconds: 3);
        }
    }
}
