using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Srt;

/// <summary>ffmpeg publishes over SRT; ffprobe reads the stream back over every output, SRT included.</summary>
public sealed class SrtPlaybackTests(SrtFixture srt) : IClassFixture<SrtFixture>
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static TheoryData<string> Outputs => ["http-flv", "rtmp", "hls", "srt"];

    [Theory]
    [MemberData(nameof(Outputs))]
    public async Task An_srt_published_stream_plays_as_h264_640x360_and_aac_with_increasing_timestamps_for_5s(string output)
    {
        var url = output switch
        {
            "http-flv" => srt.Daemon.HttpUrl("live/cam.flv"),
            "rtmp" => srt.Daemon.RtmpUrl("live/cam"),
            "hls" => srt.Daemon.HttpUrl("live/cam.m3u8"),
            _ => srt.Url("#!::r=live/cam,m=request"),
        };

        var probe = await Ffmpeg.ProbeAsync(url, seconds: 6, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal((640, 360), (probe.Video.Width, probe.Video.Height));
        Assert.Equal("aac", probe.Audio.CodecName);
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 5);
    }

    [Fact]
    public async Task The_publishers_srt_figures_show_in_appliancectl_sessions_and_metrics_and_a_player_gets_an_access_line()
    {
        var sessions = await Appliancectl.SessionCountsAsync(srt.Daemon);
        Assert.Equal(1, sessions.GetValueOrDefault("srt-publish"));
        var reply = await Appliancectl.JsonAsync(srt.Daemon, "sessions", "--protocol", "srt-publish");
        var stats = Assert.Single(reply.GetProperty("sessions").EnumerateArray()).GetProperty("srt");
        Assert.InRange(stats.GetProperty("rttMs").GetDouble(), 0, 1000);
        Assert.True(stats.GetProperty("packetsReceived").GetInt64() > 100, stats.ToString());
        Assert.True(stats.TryGetProperty("packetsReceivedRetransmitted", out _), stats.ToString());

        var table = await Appliancectl.RunAsync(srt.Daemon, "sessions", "--protocol", "srt-publish");
        Assert.Equal(0, table.ExitCode);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("SRT (send/receive buffer)", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"srt-publish .* rtt \d+\.\d ms, lost \d+ in/\d+ out, retrans \d+ in/\d+ out, dropped \d+, buf \d+/\d+ ms, bw \d+ Mbit/s$", lines[1]);

        var metrics = PrometheusText.Parse(await Http.GetStringAsync(srt.Daemon.AdminUrl("metrics")));
        Assert.True(metrics.Value("appliance_srt_sessions") >= 1, "appliance_srt_sessions");
        Assert.True(metrics.Value("appliance_srt_packets_received_total") > 100, "appliance_srt_packets_received_total");
        Assert.NotNull(metrics.Value("appliance_srt_packets_lost_total", "direction=\"in\""));
        Assert.InRange(metrics.Value("appliance_srt_publisher_rtt_milliseconds", "stream=\"default/live/cam\"") ?? -1, 0, 1000);

        await Ffmpeg.ProbeAsync(srt.Url("#!::r=live/cam,m=request"), seconds: 1, PlayTimeout);

        // ffprobe closes first: the line still has the figures read while it played.
        var played = await srt.Daemon.WaitForLogAsync(l => l.Contains("access proto=srt-play", StringComparison.Ordinal)
            && l.Contains("stream=default/live/cam status=ok", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Matches(@" srt_rtt_ms=\d+\.\d srt_packets_in=\d+ srt_packets_out=\d+ ", played);
    }

    [Fact]
    public async Task A_publisher_that_quits_first_gets_an_access_line_with_its_srt_figures()
    {
        await using var publisher = Ffmpeg.Publish(srt.Url("#!::r=live/short,m=publish"), seconds: 4, format: "mpegts");
        Assert.True(await publisher.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the 4 s publisher did not end");
        Assert.Equal(0, publisher.ExitCode);

        var line = await srt.Daemon.WaitForLogAsync(l => l.Contains("access proto=srt-publish", StringComparison.Ordinal)
            && l.Contains("stream=default/live/short ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        Assert.Contains("reason=\"peer closed\"", line, StringComparison.Ordinal);
        var packets = System.Text.RegularExpressions.Regex.Match(line, @" srt_packets_in=(\d+) ");
        Assert.True(packets.Success, line);
        // 4 s of 640x360 video and audio is hundreds of 1316-byte packets; a reading a second old still has most of them.
        Assert.True(long.Parse(packets.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 50, line);
        Assert.Matches(@" srt_lost_in=\d+ srt_lost_out=\d+ srt_retrans_out=\d+ srt_retrans_in=\d+ srt_dropped=\d+ ", line);
    }

    [Fact]
    public async Task A_request_for_a_stream_nobody_publishes_is_refused_with_a_log_line()
    {
        var probe = await ExternalProcess.RunAsync(PlayTimeout, "ffprobe", "-v", "error", srt.Url("#!::r=live/nobody,m=request"));

        Assert.NotEqual(0, probe.ExitCode);
        await srt.Daemon.WaitForLogAsync(l => l.Contains("closing srt connection", StringComparison.Ordinal)
            && l.Contains("stream default/live/nobody not found", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await srt.Daemon.WaitForLogAsync(l => l.Contains("access proto=srt", StringComparison.Ordinal)
            && l.Contains("stream=default/live/nobody status=not-found", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }
}
