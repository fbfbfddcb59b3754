using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>ffmpeg publishes over RTMP; independent players read it back over RTMP and HTTP-FLV.</summary>
public sealed class PlaybackTests(LivePublisherFixture live) : IClassFixture<LivePublisherFixture>
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData("rtmp")]
    [InlineData("http-flv")]
    public async Task Ffprobe_sees_h264_and_aac_at_640x360_with_5s_of_increasing_timestamps(string protocol)
    {
        var url = protocol == "rtmp" ? live.Daemon.RtmpUrl("live/cam") : live.Daemon.HttpUrl("live/cam.flv");

        var probe = await Ffmpeg.ProbeAsync(url, seconds: 6, ProbeTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        var video = probe.PacketsOf(probe.Video);
        Assert.True(video.Count >= 5 * 25, $"only {video.Count} video packets");
        Assert.True(video[^1].DtsSeconds - video[0].DtsSeconds >= 5, $"video spans {video[^1].DtsSeconds - video[0].DtsSeconds:F2}s");
        Assert.True(video[0].Key, "the first video packet is not a keyframe");
        for (var i = 1; i < video.Count; i++)
        {
            Assert.True(video[i].Dts > video[i - 1].Dts, $"video dts not increasing at packet {i}: {video[i - 1].Dts} -> {video[i].Dts}");
        }
        var audio = probe.PacketsOf(probe.Audio);
        Assert.True(audio.Count > 100, $"only {audio.Count} audio packets");
        Assert.DoesNotContain("rror", probe.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ffprobe_over_rtmp_has_nothing_to_warn_about()
    {
        // Warnings and errors only: a clean play prints nothing (ffmpeg's rtmp client warns
        // "Unexpected reply on getStreamLength()" when that answer is not a number).
        var probe = await ExternalProcess.RunAsync(ProbeTimeout, "ffprobe", "-hide_banner", "-v", "warning", "-rw_timeout", "15000000",
            "-show_entries", "stream=codec_name", "-of", "json", live.Daemon.RtmpUrl("live/cam"));

        Assert.Equal(0, probe.ExitCode);
        Assert.Contains("h264", probe.Stdout, StringComparison.Ordinal);
        Assert.Equal("", probe.Stderr.Trim());
    }

    [Fact]
    public async Task Fifty_concurrent_rtmp_and_http_flv_viewers_all_receive_frames_starting_with_a_keyframe()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var opening = new List<Task<IMediaSource>>();
        for (var i = 0; i < 25; i++)
        {
            opening.Add(OpenRtmpAsync(cts.Token));
            opening.Add(OpenFlvAsync(cts.Token));
        }
        var sources = await Task.WhenAll(opening);
        var viewers = sources.Select(s => new ViewerRecorder(s)).ToList();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitUntilAsync(v => v.VideoFrames >= 50 && v.AudioFrames >= 50, TimeSpan.FromSeconds(30), "50 video and 50 audio frames");
            }
            Assert.All(viewers, v =>
            {
                Assert.True(v.FirstVideoFrameWasKey, "first video frame was not a keyframe");
                Assert.Equal(0, v.BackwardSteps);
                Assert.Null(v.Error);
            });
            var listing = await StreamApi.FindAsync(live.Daemon, "cam");
            Assert.Equal(25, listing!.Value.GetProperty("viewers").GetProperty("rtmp").GetInt32());
            Assert.Equal(25, listing.Value.GetProperty("viewers").GetProperty("flv").GetInt32());
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("rtmp")]
    [InlineData("http-flv")]
    public async Task A_viewer_joining_mid_stream_gets_metadata_and_sequence_headers_then_a_keyframe_first(string protocol)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var viewer = new ViewerRecorder(protocol == "rtmp" ? await OpenRtmpAsync(cts.Token) : await OpenFlvAsync(cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 5, TimeSpan.FromSeconds(20), "5 video frames");

        var first = viewer.FirstMessages.ToList();
        var metadata = first.FindIndex(m => m.Type == 18 && System.Text.Encoding.ASCII.GetString(m.Payload).Contains("onMetaData"));
        var videoHeader = first.FindIndex(m => m.IsVideo && m.IsSequenceHeader);
        var audioHeader = first.FindIndex(m => m.IsAudio && m.IsSequenceHeader);
        var firstFrame = first.FindIndex(m => (m.IsVideo || m.IsAudio) && !m.IsSequenceHeader);
        Assert.True(metadata >= 0 && videoHeader >= 0 && audioHeader >= 0, "metadata or a sequence header is missing");
        Assert.True(metadata < firstFrame && videoHeader < firstFrame && audioHeader < firstFrame, "a frame came before metadata and sequence headers");
        Assert.True(first.First(m => m.IsVideo && !m.IsSequenceHeader).IsKeyFrame);
        // Audio since the keyframe comes along with the GOP, so a joining viewer loses no sound.
        var keyTime = first.First(m => m.IsVideo && !m.IsSequenceHeader).Timestamp;
        Assert.Contains(first, m => m.IsAudio && !m.IsSequenceHeader && Math.Abs((long)m.Timestamp - keyTime) < 100);
    }

    [Fact]
    public async Task An_http_flv_viewer_that_sends_more_after_its_request_keeps_playing_and_its_hang_up_ends_its_session()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await using var viewer = await HttpFlvViewer.OpenAsync(live.Daemon.HttpPort, "/live/cam.flv", cts.Token);
        var port = viewer.LocalPort;
        // Once a request has become a stream the daemon reads nothing more from the connection: a
        // pipelined request is not answered and anything else is ignored, but the close is seen.
        var extra = System.Text.Encoding.ASCII.GetBytes("GET /live/cam.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nand then some noise");
        await viewer.SendAsync(extra, cts.Token);

        var sentAt = Environment.TickCount64;
        var video = new List<MediaMessage>();
        while (Environment.TickCount64 - sentAt < 3000 || video.Count < 50)
        {
            var message = await viewer.ReadAsync(cts.Token) ?? throw new IOException("the daemon closed the viewer");
            if (message.IsVideo && !message.IsSequenceHeader)
            {
                video.Add(message);
            }
        }
        await viewer.DisposeAsync();

        for (var i = 1; i < video.Count; i++)
        {
            Assert.True(video[i].Timestamp > video[i - 1].Timestamp, $"video timestamps not increasing at {i}: {video[i - 1].Timestamp} -> {video[i].Timestamp}");
        }
        var request = "GET /live/cam.flv HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: e2e\r\n\r\n".Length;
        var access = await live.Daemon.WaitForLogAsync(l => l.Contains($"access proto=http-flv client=127.0.0.1:{port} ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains($" in={request + extra.Length} ", access, StringComparison.Ordinal);
        Assert.Contains("reason=\"client closed\"", access, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playing_a_missing_stream_is_StreamNotFound_over_rtmp_and_404_over_http()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<RtmpStatusException>(() => RtmpViewer.PlayAsync(live.Daemon.RtmpPort, "live", "nobody", cts.Token));
        Assert.StartsWith("NetStream.Play.StreamNotFound", error.Message, StringComparison.Ordinal);

        var http = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(live.Daemon.HttpPort, "/live/nobody.flv", cts.Token));
        Assert.Equal(404, http.Status);
        var otherApp = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(live.Daemon.HttpPort, "/noapp/cam.flv", cts.Token));
        Assert.Equal(404, otherApp.Status);
    }

    [Fact]
    public async Task A_second_publisher_of_a_live_stream_is_refused_with_BadName_and_the_first_goes_on()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var client = await RtmpClients.ConnectAsync(live.Daemon.RtmpPort, "live", cts.Token);

        var error = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync("cam", cts.Token));

        Assert.StartsWith("NetStream.Publish.BadName", error.Message, StringComparison.Ordinal);
        var before = (await StreamApi.FindAsync(live.Daemon, "cam"))!.Value.GetProperty("framesIn").GetInt64();
        await StreamApi.WaitForFramesAsync(live.Daemon, "cam", before + 25, TimeSpan.FromSeconds(10));
        Assert.False(live.Publisher.HasExited, "the first publisher was disconnected");
    }

    [Fact]
    public async Task The_streams_listing_shows_codecs_resolution_and_source()
    {
        var stream = await StreamApi.FindAsync(live.Daemon, "cam");

        Assert.NotNull(stream);
        Assert.Equal("avc", stream.Value.GetProperty("videoCodec").GetString());
        Assert.StartsWith("aac", stream.Value.GetProperty("audioCodec").GetString());
        Assert.Equal(640, stream.Value.GetProperty("width").GetInt32());
        Assert.Equal(360, stream.Value.GetProperty("height").GetInt32());
        Assert.StartsWith("rtmp-publish 127.0.0.1:", stream.Value.GetProperty("source").GetString());
    }

    private async Task<IMediaSource> OpenRtmpAsync(CancellationToken ct) => await RtmpViewer.PlayAsync(live.Daemon.RtmpPort, "live", "cam", ct);

    private async Task<IMediaSource> OpenFlvAsync(CancellationToken ct) => await HttpFlvViewer.OpenAsync(live.Daemon.HttpPort, "/live/cam.flv", ct);
}
