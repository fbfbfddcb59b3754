using System.Diagnostics;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// ffmpeg playing HLS from the real daemon is a viewer: listed by /api/streams, appliancectl and
/// /metrics while it plays, one access line once it stopped and its window (10 s here) passed,
/// and under maxViewersPerStream like any viewer.
/// </summary>
public sealed class HlsViewerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task An_hls_player_is_one_viewer_everywhere_while_it_plays_and_one_access_line_after_its_window()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, Wait);

        JsonElement listing, streams, sessions;
        PrometheusText metrics;
        ExternalProcess table;
        await using (var player = FfmpegPlayback.StartCopy(daemon.HttpUrl("live/cam.m3u8"), seconds: 300, userAgent: "e2e-player"))
        {
            await WaitForAsync(async () => await HlsViewersAsync(daemon) == 1, "the player to be counted");
            // Its session has been sent segments, not just a playlist.
            await WaitForAsync(async () => await SentAsync(daemon) > 100_000, "the player's session to be sent segments");
            listing = (await StreamApi.FindAsync(daemon, "cam"))!.Value;
            streams = await Appliancectl.JsonAsync(daemon, "streams");
            sessions = await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "hls");
            table = await Appliancectl.RunAsync(daemon, "sessions");
            metrics = await ScrapeAsync(daemon);
            Assert.False(player.HasExited, player.Stderr);
        }
        var stopped = Stopwatch.StartNew();
        var line = await daemon.WaitForLogAsync(l => l.Contains("access proto=hls ", StringComparison.Ordinal), Wait);
        var ended = stopped.Elapsed;
        var after = await HlsViewersAsync(daemon);
        var metricsAfter = await ScrapeAsync(daemon);

        Assert.Equal(1, listing.GetProperty("viewers").GetProperty("hls").GetInt32());
        Assert.Equal(1, streams.GetProperty("streams")[0].GetProperty("viewers").GetProperty("hls").GetInt32());
        var session = Assert.Single(sessions.GetProperty("sessions").EnumerateArray());
        Assert.Equal("127.0.0.1", session.GetProperty("client").GetString());
        Assert.Equal("default/live/cam", session.GetProperty("stream").GetString());
        Assert.True(session.GetProperty("bytesOut").GetInt64() > 100_000);
        Assert.Contains(table.Stdout.Split('\n'), row => row.Contains(" hls ", StringComparison.Ordinal) && row.Contains("default/live/cam", StringComparison.Ordinal));
        Assert.Equal(1, metrics.Value("appliance_viewers", "protocol=\"hls\""));
        Assert.Equal(1, metrics.Value("appliance_stream_viewers", "stream=\"default/live/cam\",protocol=\"hls\""));

        // The session ends a window (10 s) after the player's last request, not before, and once.
        Assert.True(ended > TimeSpan.FromSeconds(6), $"the session ended {ended.TotalSeconds:F1} s after the player stopped");
        Assert.Matches(@"access proto=hls client=127\.0\.0\.1 stream=default/live/cam status=20[06] in=0 out=[1-9]\d{5,} duration=\d+\.\ds reason=""no request for 10000 ms""", line);
        Assert.Single(daemon.Lines, l => l.Contains("access proto=hls ", StringComparison.Ordinal));
        Assert.Equal(0, after);
        Assert.Equal(0, metricsAfter.Value("appliance_viewers", "protocol=\"hls\""));
    }

    [Fact]
    public async Task With_maxViewersPerStream_1_a_second_hls_player_gets_503_while_the_first_plays_on()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"maxViewersPerStream\": 1");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, Wait);
        await using var player = FfmpegPlayback.StartCopy(daemon.HttpUrl("live/cam.m3u8"), seconds: 300, userAgent: "e2e-player");
        await WaitForAsync(async () => await HlsViewersAsync(daemon) == 1, "the first player to be counted");
        using var cts = new CancellationTokenSource(Wait);

        // Hls.GetAsync sends its own User-Agent: another player from the same address.
        var second = await Hls.GetAsync(daemon, "/live/cam.m3u8", cts.Token);
        var sentAtRefusal = await SentAsync(daemon);
        await WaitForAsync(async () => await SentAsync(daemon) > sentAtRefusal, "the first player to be sent more");

        Assert.Equal(503, second.Status);
        Assert.Equal("stream full\n", second.Text);
        Assert.False(player.HasExited, player.Stderr);
        Assert.Equal(1, await HlsViewersAsync(daemon));
        Assert.True(daemon.HasLog(l => l.Contains("stream default/live/cam has its maximum of 1 viewers", StringComparison.Ordinal)));
    }

    private static async Task<int> HlsViewersAsync(DaemonProcess daemon) =>
        (await StreamApi.FindAsync(daemon, "cam"))?.GetProperty("viewers").GetProperty("hls").GetInt32() ?? -1;

    /// <summary>Bytes sent to the stream's HLS sessions so far, as `appliancectl sessions` lists them.</summary>
    private static async Task<long> SentAsync(DaemonProcess daemon)
    {
        var reply = await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "hls");
        return reply.GetProperty("sessions").EnumerateArray().Sum(s => s.GetProperty("bytesOut").GetInt64());
    }

    private static async Task<PrometheusText> ScrapeAsync(DaemonProcess daemon) =>
        PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) => Conditions.UntilAsync(condition, Wait, what);
}
