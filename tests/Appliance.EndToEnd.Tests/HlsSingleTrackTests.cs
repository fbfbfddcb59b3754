using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>One daemon with an audio-only stream (live/radio) and a video-only stream (live/silent), both published by ffmpeg.</summary>
public sealed class SingleTrackFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    private ExternalProcess _audio = null!;
    private ExternalProcess _video = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync();
        _audio = FfmpegPlayback.PublishAudioOnly(Daemon.RtmpUrl("live/radio"));
        _video = FfmpegPlayback.PublishVideoOnly(Daemon.RtmpUrl("live/silent"));
        await StreamApi.WaitForFramesAsync(Daemon, "radio", minFrames: 100, TimeSpan.FromSeconds(30));
        await StreamApi.WaitForFramesAsync(Daemon, "silent", minFrames: 50, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _audio.DisposeAsync();
        await _video.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}

/// <summary>Audio-only and video-only streams play over HLS and HTTP-TS with just their one track.</summary>
public sealed class HlsSingleTrackTests(SingleTrackFixture fixture) : IClassFixture<SingleTrackFixture>
{
    [Theory]
    [InlineData("radio", "m3u8")]
    [InlineData("radio", "ts")]
    [InlineData("silent", "m3u8")]
    [InlineData("silent", "ts")]
    public async Task Ffprobe_sees_only_the_one_track_with_5s_of_continuous_packets(string stream, string extension)
    {
        var probe = await Ffmpeg.ProbeAsync(fixture.Daemon.HttpUrl($"live/{stream}.{extension}"), seconds: 6, TimeSpan.FromSeconds(45));

        var track = Assert.Single(probe.Streams);
        if (stream == "radio")
        {
            Assert.Equal("audio", track.CodecType);
            Assert.Equal("aac", track.CodecName);
        }
        else
        {
            Assert.Equal("video", track.CodecType);
            Assert.Equal("h264", track.CodecName);
            Assert.Equal((640, 360), (track.Width, track.Height));
            Assert.True(probe.PacketsOf(track)[0].Key, "the first video packet is not a keyframe");
        }
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 5);
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Theory]
    [InlineData("radio")]
    [InlineData("silent")]
    public async Task The_playlist_lists_segments_within_the_target_and_they_are_served(string stream)
    {
        var playlist = await Hls.WaitForPlaylistAsync(fixture.Daemon, $"/live/{stream}.m3u8", p => p.Entries.Count >= 2, TimeSpan.FromSeconds(30), "two segments");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var segment = await Hls.GetAsync(fixture.Daemon, "/live/" + playlist.Entries[^1].Uri, cts.Token);
        Assert.Equal(200, segment.Status);
        Assert.Equal("video/mp2t", segment.Header("Content-Type"));
        Assert.True(segment.Body.Length > 188);
        Assert.Equal(0x47, segment.Body[0]);
    }
}
