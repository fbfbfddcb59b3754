using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>/metrics on the admin listener: valid Prometheus text whose figures follow the traffic.</summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_move_with_traffic()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        var idle = await ScrapeAsync(daemon);
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token));
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= 40, Wait, "40 frames");
        await flv.WaitUntilAsync(v => v.VideoFrames >= 40, Wait, "40 frames");

        var first = await ScrapeAsync(daemon);
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= 80, Wait, "80 frames");
        var second = await ScrapeAsync(daemon);

        Assert.Equal(0, idle.Value("appliance_viewers", "protocol=\"rtmp\""));
        Assert.Equal(1, first.Value("appliance_viewers", "protocol=\"rtmp\""));
        Assert.Equal(1, first.Value("appliance_viewers", "protocol=\"http-flv\""));
        Assert.Equal(1, first.Value("appliance_streams"));
        Assert.Equal(1, first.Value("appliance_connections", "protocol=\"rtmp-publish\""));
        Assert.Equal(1, first.Value("appliance_stream_viewers", "stream=\"default/live/cam\",protocol=\"rtmp\""));
        Assert.InRange(first.Value("appliance_stream_ingest_bits_per_second", "stream=\"default/live/cam\"") ?? 0, 100_000, 20_000_000);
        Assert.True(first.Value("appliance_connections_accepted_total", "listener=\"rtmp\"") >= 2);
        Assert.True(second.Value("appliance_sent_bytes_total", "listener=\"rtmp\"") > first.Value("appliance_sent_bytes_total", "listener=\"rtmp\""), "RTMP bytes sent did not grow");
        Assert.True(second.Value("appliance_sent_bytes_total", "listener=\"http\"") > first.Value("appliance_sent_bytes_total", "listener=\"http\""), "HTTP bytes sent did not grow");
        Assert.True(second.Value("appliance_received_bytes_total", "listener=\"rtmp\"") > first.Value("appliance_received_bytes_total", "listener=\"rtmp\""), "RTMP bytes received did not grow");
        Assert.True(second.Value("appliance_gc_allocated_bytes_total") >= first.Value("appliance_gc_allocated_bytes_total"));
        foreach (var protocol in new[] { "rtmp", "http-flv" })
        {
            var label = $"protocol=\"{protocol}\"";
            foreach (var family in new[] { "appliance_viewer_writes_total", "appliance_viewer_flushes_total", "appliance_viewer_written_bytes_total", "appliance_viewer_seconds_total" })
            {
                Assert.True(second.Value(family, label) > first.Value(family, label), $"{family}{{{label}}} did not grow while a viewer played");
            }
        }
        Assert.Equal(0, second.Value("appliance_viewer_flushes_total", "protocol=\"http-ts\""));
    }

    [Fact]
    public async Task Merged_writes_show_as_fewer_writes_and_flushes_per_viewer_second()
    {
        await using var daemon = await DaemonProcess.StartAsync(extraAppsJson: "{ \"name\": \"merged\", \"flushIntervalMs\": 100 }");
        await using var direct = Ffmpeg.Publish(daemon.RtmpUrl("live/direct"));
        await using var merged = Ffmpeg.Publish(daemon.RtmpUrl("merged/batched"));
        await StreamApi.WaitForFramesAsync(daemon, "direct", minFrames: 30, Wait);
        await StreamApi.WaitForFramesAsync(daemon, "batched", minFrames: 30, Wait);

        // One viewer at a time, so each measurement is of that viewer alone. "live" has the default
        // (adaptive) batching, which writes a stream's lone viewer at once, like flushIntervalMs 0.
        var unmerged = await PerViewerSecondAsync(daemon, "/live/direct.flv");
        var every100Ms = await PerViewerSecondAsync(daemon, "/merged/batched.flv");

        // Measured on loopback: about 29 per viewer-second written at once (frames that arrive together go
        // out together), about 10 merged every 100 ms. 1.5 times tells merging from noise with room to spare.
        Assert.True(unmerged.Flushes > 1.5 * every100Ms.Flushes, $"flushes per viewer-second: {unmerged.Flushes:F1} with flushIntervalMs 0, {every100Ms.Flushes:F1} with 100");
        Assert.True(unmerged.Writes > 1.5 * every100Ms.Writes, $"writes per viewer-second: {unmerged.Writes:F1} with flushIntervalMs 0, {every100Ms.Writes:F1} with 100");
    }

    /// <summary>
    /// An HTTP-FLV viewer alone on the node: its writes and flushes per second of viewing between
    /// two scrapes 50 video frames apart. Waits until the node has let it go, so the next one is alone too.
    /// </summary>
    private static async Task<(double Writes, double Flushes)> PerViewerSecondAsync(DaemonProcess daemon, string path)
    {
        const string label = "protocol=\"http-flv\"";
        PrometheusText first, second;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, path, cts.Token));
            // Past the burst of the first group of pictures: from here frames come as they are published.
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 40, Wait, "40 frames");
            first = await ScrapeAsync(daemon);
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 90, Wait, "90 frames");
            second = await ScrapeAsync(daemon);
        }
        await WaitForAsync(daemon, m => (m.Value("appliance_connections", label) ?? 0) == 0, "the viewer's session to end");
        double Delta(string family) => (second.Value(family, label) ?? 0) - (first.Value(family, label) ?? 0);
        var seconds = Delta("appliance_viewer_seconds_total");
        Assert.InRange(seconds, 1, 30);
        return (Delta("appliance_viewer_writes_total") / seconds, Delta("appliance_viewer_flushes_total") / seconds);
    }

    private static async Task WaitForAsync(DaemonProcess daemon, Func<PrometheusText, bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        while (!condition(await ScrapeAsync(daemon)))
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Auth_refusals_are_counted_by_reason()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"auth\": { \"play\": { \"scheme\": \"typeA\", \"key\": \"k\" } }");
        var before = await ScrapeAsync(daemon);

        using var refused = await Http.GetAsync(daemon.HttpUrl("live/cam.flv"));
        var after = await ScrapeAsync(daemon);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        var refusals = after.Series("appliance_auth_refused_total").Values.Sum() - before.Series("appliance_auth_refused_total").Values.Sum();
        Assert.Equal(1, refusals);
    }

    [Fact]
    public async Task Segment_cache_hits_and_misses_are_counted()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        var playlist = await Hls.WaitForPlaylistAsync(daemon, "/live/cam.m3u8", p => p.Entries.Count >= 1, TimeSpan.FromSeconds(40), "a segment");
        var before = await ScrapeAsync(daemon);

        using var hit = await Http.GetAsync(daemon.HttpUrl("live/" + playlist.Entries[0].Uri));
        using var missing = await Http.GetAsync(daemon.HttpUrl("live/cam/999999.ts"));
        var after = await ScrapeAsync(daemon);

        Assert.Equal(System.Net.HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(1, after.Value("appliance_segment_cache_hits_total") - before.Value("appliance_segment_cache_hits_total"));
        Assert.Equal(1, after.Value("appliance_segment_cache_misses_total") - before.Value("appliance_segment_cache_misses_total"));
        Assert.True(after.Value("appliance_segment_cache_bytes") > 0);
    }

    [Fact]
    public async Task The_admin_listener_serves_only_operator_endpoints()
    {
        await using var daemon = await DaemonProcess.StartAsync();

        using var media = await Http.GetAsync(daemon.AdminUrl("live/cam.flv"));
        using var status = await Http.GetAsync(daemon.AdminUrl("api/status"));
        using var health = await Http.GetAsync(daemon.HttpUrl("api/health"));
        using var metrics = await Http.GetAsync(daemon.AdminUrl("metrics"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, media.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
    }

    private static async Task<PrometheusText> ScrapeAsync(DaemonProcess daemon) =>
        PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));
}
