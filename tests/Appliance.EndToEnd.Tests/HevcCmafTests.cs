using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>One daemon with a live H.265 stream (libx265 over enhanced RTMP, <see cref="HevcPublisher"/>) whose timestamps start an hour in.</summary>
public sealed class HevcPublisherFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public HevcPublisher Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync();
        Publisher = await HevcPublisher.StartAsync(Daemon, "hevc", Ffmpeg.AnHourIn * 1000L, CancellationToken.None);
        await StreamApi.WaitForFramesAsync(Daemon, "hevc", minFrames: 50, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}

/// <summary>
/// HEVC in fMP4: the node packages enhanced RTMP H.265 into 'hvc1' CMAF tracks, and ffprobe reads
/// them back from fMP4 HLS, LL-HLS and DASH. No browser test: headless Chromium on Linux decodes
/// HEVC only through platform hardware decoders, which this machine (and CI) lacks, so hls.js and
/// dash.js would refuse the codec whatever the packaging.
/// </summary>
public sealed class HevcCmafTests(HevcPublisherFixture live) : IClassFixture<HevcPublisherFixture>
{
    [Theory]
    [InlineData("live/hevc/cmaf.m3u8")]
    [InlineData("live/hevc/llhls.m3u8")]
    [InlineData("live/hevc.mpd")]
    public async Task Ffprobe_reads_5_s_of_hevc_640x360_with_continuous_timestamps(string path)
    {
        var probe = await Ffmpeg.ProbeAsync(live.Daemon.HttpUrl(path), seconds: 5, TimeSpan.FromSeconds(60));

        Assert.Equal("hevc", Assert.Single(probe.Streams).CodecName);
        Assert.Equal((HevcPublisher.Width, HevcPublisher.Height), (probe.Video.Width, probe.Video.Height));
        var frames = probe.PacketsOf(probe.Video);
        Assert.True(frames.Count >= 100, $"only {frames.Count} frames");
        Assert.True(frames[0].Key, "the first frame is not a keyframe");
        // An hour in, as published.
        Assert.InRange(frames[0].DtsSeconds, 3600, 7200);
        if (path.Contains(".mpd", StringComparison.Ordinal))
        {
            FfmpegPlayback.AssertContinuousAcrossDashRereads(probe, minSeconds: 4.5);
        }
        else
        {
            FfmpegPlayback.AssertContinuous(probe, minSeconds: 4.5);
        }
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task The_playlists_the_mpd_and_the_init_say_hvc1()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var multivariant = await Hls.GetAsync(live.Daemon, "/live/hevc/cmaf.m3u8", cts.Token);
        var mpd = await Hls.GetAsync(live.Daemon, "/live/hevc.mpd", cts.Token);
        var media = await Hls.GetAsync(live.Daemon, "/live/hevc/video.m3u8", cts.Token);
        var init = CmafMediaPlaylist.Parse(media.Text, "video").Segments[0].Map;
        var initBytes = (await Hls.GetAsync(live.Daemon, $"/live/hevc/{init}", cts.Token)).Body;

        Assert.Matches(@"CODECS=""hvc1\.1\.6\.L\d+\.[0-9A-F.]+"",RESOLUTION=640x360", multivariant.Text);
        var video = DashMpd.Parse(mpd.Text)["video"];
        Assert.StartsWith("hvc1.1.6.L", video.Codecs, StringComparison.Ordinal);
        Assert.Equal((640, 360), (video.Width, video.Height));
        // The sample entry is 'hvc1' (parameter sets in its hvcC only), not 'hev1'.
        var boxes = Encoding.ASCII.GetString(initBytes);
        Assert.Contains("hvc1", boxes, StringComparison.Ordinal);
        Assert.Contains("hvcC", boxes, StringComparison.Ordinal);
        Assert.DoesNotContain("hev1", boxes, StringComparison.Ordinal);
    }
}
