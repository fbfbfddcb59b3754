using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>One daemon with ffmpeg publishing live/cam whose timestamps start an hour in, as a production stream's are.</summary>
public sealed class AgedPublisherFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync();
        Publisher = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}

/// <summary>
/// ffmpeg publishes over RTMP (640x360 H.264 + AAC, a keyframe every second, an hour in);
/// ffprobe and ffmpeg read it back as fMP4 HLS and as DASH, through the node's own URLs.
/// </summary>
public sealed class CmafTests(AgedPublisherFixture live) : IClassFixture<AgedPublisherFixture>
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(60);

    private DaemonProcess Daemon => live.Daemon;

    [Theory]
    [InlineData("live/cam/cmaf.m3u8")]
    [InlineData("live/cam/llhls.m3u8")]
    [InlineData("live/cam.mpd")]
    [InlineData("live/cam.mpd?ll=1")]
    public async Task Ffprobe_reads_10s_of_h264_640x360_and_aac_with_continuous_timestamps(string path)
    {
        var probe = await Ffmpeg.ProbeAsync(Daemon.HttpUrl(path), seconds: 10, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.Equal(2, probe.Streams.Count);
        Assert.True(probe.PacketsOf(probe.Video)[0].Key, "the first video packet is not a keyframe");
        if (path.Contains(".mpd", StringComparison.Ordinal))
        {
            FfmpegPlayback.AssertContinuousAcrossDashRereads(probe, minSeconds: 9.5);
        }
        else
        {
            FfmpegPlayback.AssertContinuous(probe, minSeconds: 9.5);
        }
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Theory]
    [InlineData("live/cam/cmaf.m3u8")]
    [InlineData("live/cam/llhls.m3u8")]
    [InlineData("live/cam.mpd")]
    [InlineData("live/cam.mpd?ll=1")]
    public async Task Ffmpeg_copies_10s_without_an_error_line(string path)
    {
        await using var player = await FfmpegPlayback.CopyAsync(Daemon.HttpUrl(path), 10, PlayTimeout);

        Assert.Equal(0, player.ExitCode);
        var errors = FfmpegPlayback.ErrorLines(player.Stderr);
        Assert.Empty(path.Contains(".mpd", StringComparison.Ordinal) ? FfmpegPlayback.BesideDashRereads(errors) : errors);
    }

    [Fact]
    public async Task A_blocking_reload_for_the_next_segment_is_answered_within_a_target_duration()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await Hls.GetAsync(Daemon, "/live/cam/video-ll.m3u8", cts.Token);
        Assert.Equal(200, first.Status);
        var last = first.Text.Split('\n').Where(l => l.StartsWith("video-", StringComparison.Ordinal) && l.EndsWith(".m4s", StringComparison.Ordinal))
            .Select(l => long.Parse(l["video-".Length..^".m4s".Length], System.Globalization.CultureInfo.InvariantCulture)).Max();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var next = await Hls.GetAsync(Daemon, $"/live/cam/video-ll.m3u8?_HLS_msn={last + 1}", cts.Token);
        var elapsed = clock.Elapsed;

        Assert.Equal(200, next.Status);
        Assert.Contains($"\nvideo-{last + 1}.m4s\n", next.Text, StringComparison.Ordinal);
        // Segment last + 1 was in progress: it completes within one 2 s segment.
        Assert.True(elapsed < TimeSpan.FromSeconds(2.5), $"answered after {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Api_time_is_the_nodes_clock()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var before = DateTimeOffset.UtcNow;
        var response = await Hls.GetAsync(Daemon, "/api/time", cts.Token);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(200, response.Status);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", response.Text);
        var time = DateTimeOffset.Parse(response.Text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(time, before.AddMilliseconds(-1), after.AddMilliseconds(1));
    }
}
