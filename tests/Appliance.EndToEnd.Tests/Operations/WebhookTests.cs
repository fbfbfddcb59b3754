using System.Security.Cryptography;
using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>
/// The daemon's event webhooks against a backend in the test: what arrives and in which order,
/// the signature, a retry after a 500, drops while the backend hangs, and the auth callback as
/// the hook that refuses.
/// </summary>
public sealed class WebhookTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static string Hooks(HookReceiver backend, string more = "") =>
        $"\"webhooks\": {{ \"urls\": [ \"{backend.Url("/events")}\" ]{(more.Length > 0 ? ", " + more : "")} }}";

    [Fact]
    public async Task Publish_play_stop_and_unpublish_of_a_stream_arrive_in_order_each_signed_with_the_secret()
    {
        await using var backend = new HookReceiver();
        await using var daemon = await DaemonProcess.StartAsync(appJson: Hooks(backend, "\"secret\": \"s3cret\""));
        var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam?uid=7"));
        try
        {
            await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
            await Ffmpeg.ProbeAsync(daemon.RtmpUrl("live/cam"), seconds: 1, Wait);
            await backend.WaitForAsync(r => r.Event == "stop", Wait, "the stop of the RTMP player");
            using (var cts = new CancellationTokenSource(Wait))
            {
                await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv?ticket=abc", cts.Token));
                await flv.WaitUntilAsync(v => v.VideoFrames >= 10, Wait, "10 frames over HTTP-FLV");
            }
            await backend.WaitForAsync(r => r.Event == "stop" && r.Json.GetProperty("protocol").GetString() == "http-flv", Wait, "the stop of the HTTP-FLV viewer");
        }
        finally
        {
            await publisher.DisposeAsync();
        }
        await backend.WaitForAsync(r => r.Event == "unpublish", Wait, "the unpublish event");

        var events = backend.EventsOf("/events", "cam");
        Assert.Equal(["publish", "play", "stop", "play", "stop", "unpublish"], events.Select(e => e.Event));
        Assert.Equal(["rtmp-publish", "rtmp-play", "rtmp-play", "http-flv", "http-flv", "rtmp-publish"], events.Select(e => e.Json.GetProperty("protocol").GetString()));
        var (publish, rtmpPlay, rtmpStop, flvPlay, flvStop, unpublish) = (events[0].Json, events[1].Json, events[2].Json, events[3].Json, events[4].Json, events[5].Json);
        Assert.Equal("uid=7", publish.GetProperty("params").GetString());
        Assert.Equal("ticket=abc", flvPlay.GetProperty("params").GetString());
        Assert.Equal("default", publish.GetProperty("domain").GetString());
        Assert.Equal("live", publish.GetProperty("app").GetString());
        Assert.StartsWith("127.0.0.1:", publish.GetProperty("client").GetString(), StringComparison.Ordinal);
        Assert.Equal(publish.GetProperty("sessionId").GetInt64(), unpublish.GetProperty("sessionId").GetInt64());
        Assert.Equal(rtmpPlay.GetProperty("sessionId").GetInt64(), rtmpStop.GetProperty("sessionId").GetInt64());
        Assert.Equal(flvPlay.GetProperty("sessionId").GetInt64(), flvStop.GetProperty("sessionId").GetInt64());
        Assert.True(unpublish.GetProperty("bytesIn").GetInt64() > 100_000, unpublish.ToString());
        Assert.True(flvStop.GetProperty("bytesOut").GetInt64() > 10_000, flvStop.ToString());
        Assert.True(unpublish.GetProperty("durationMs").GetInt64() > 1000, unpublish.ToString());
        Assert.False(publish.TryGetProperty("bytesIn", out _));
        var key = Encoding.UTF8.GetBytes("s3cret");
        foreach (var e in events)
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, e.Body)), e.Headers["X-Appliance-Signature"]);
            Assert.Equal(e.Event, e.Headers["X-Appliance-Event"]);
            Assert.StartsWith("application/json", e.Headers["Content-Type"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_event_the_backend_answers_with_500_is_sent_again_and_counted_as_a_retry()
    {
        await using var backend = new HookReceiver();
        var answered = 0;
        backend.Answer = _ => Interlocked.Increment(ref answered) == 1 ? 500 : 200;
        await using var daemon = await DaemonProcess.StartAsync(appJson: Hooks(backend, "\"events\": [ \"publish\" ], \"retryMs\": 100"));
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));

        var attempts = await backend.WaitForCountAsync(r => r.Event == "publish", 2, Wait, "the publish event a second time");
        var metrics = await ScrapeUntilAsync(daemon, m => m.Value("appliance_webhook_delivered_total") == 1, "the delivery counted");

        Assert.Equal(2, backend.Requests.Count);
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.Equal(1, metrics.Value("appliance_webhook_retries_total"));
        Assert.Equal(1, metrics.Value("appliance_webhook_delivered_total"));
        Assert.Equal(0, metrics.Value("appliance_webhook_failed_total"));
        Assert.True(daemon.HasLog(l => l.Contains("publish event of default/live/cam not delivered (HTTP 500); retry 1 in 100 ms", StringComparison.Ordinal)),
            string.Join('\n', daemon.Lines.TakeLast(30)));
    }

    [Fact]
    public async Task While_the_backend_hangs_viewers_play_on_and_events_past_the_queue_are_dropped_counted_and_logged_once()
    {
        await using var backend = new HookReceiver { Answer = _ => null };
        await using var daemon = await DaemonProcess.StartAsync(appJson: Hooks(backend, "\"queueSize\": 1, \"retries\": 0, \"timeoutMs\": 60000"));
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await backend.WaitForAsync(r => r.Event == "publish", Wait, "the publish event, never answered");

        using var cts = new CancellationTokenSource(Wait);
        var viewers = new List<ViewerRecorder>();
        for (var i = 0; i < 3; i++)
        {
            viewers.Add(new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token)));
        }
        foreach (var viewer in viewers)
        {
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames while the backend hangs");
            await viewer.DisposeAsync();
        }
        var metrics = await ScrapeUntilAsync(daemon, m => m.Value("appliance_webhook_dropped_total") >= 3, "three drops counted");
        await daemon.WaitForLogAsync(l => l.Contains("queue full at", StringComparison.Ordinal), Wait);

        // The publish event holds the one place: the three plays are dropped (and stops, once the viewers left).
        Assert.True(metrics.Value("appliance_webhook_dropped_total") >= 3, $"{metrics.Value("appliance_webhook_dropped_total")} drops");
        Assert.Equal(1, metrics.Value("appliance_webhook_queued"));
        Assert.Equal(0, metrics.Value("appliance_webhook_delivered_total"));
        var full = daemon.Lines.Where(l => l.Contains("queue full at", StringComparison.Ordinal)).ToList();
        Assert.Single(full);
        Assert.Contains($"webhook {backend.Url("/events")}: queue full at 1 events, play event of default/live/cam dropped", full[0], StringComparison.Ordinal);
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task A_publish_the_auth_callback_answers_403_is_refused_and_no_publish_event_follows()
    {
        await using var backend = new HookReceiver
        {
            Answer = r => r.Path == "/auth" && r.Json.GetProperty("stream").GetString() == "denied" ? 403 : 204,
        };
        var auth = $"\"auth\": {{ \"publish\": {{ \"scheme\": \"callback\", \"callbackUrl\": \"{backend.Url("/auth")}\" }} }}";
        await using var daemon = await DaemonProcess.StartAsync(appJson: Hooks(backend) + ", " + auth);

        await using var refused = Ffmpeg.Publish(daemon.RtmpUrl("live/denied"), seconds: 5);
        await daemon.WaitForLogAsync(l => l.Contains("auth refused", StringComparison.Ordinal) && l.Contains("callback answered with a refusal", StringComparison.Ordinal), Wait);
        await using var allowed = Ffmpeg.Publish(daemon.RtmpUrl("live/allowed"));
        var published = await backend.WaitForAsync(r => r.Path == "/events" && r.Event == "publish", Wait, "the publish event of the allowed stream");

        Assert.Equal("allowed", published.Json.GetProperty("stream").GetString());
        Assert.Equal(["denied", "allowed"], backend.Requests.Where(r => r.Path == "/auth").Select(r => r.Json.GetProperty("stream").GetString()));
        Assert.Empty(backend.EventsOf("/events", "denied"));
        Assert.Null(await StreamApi.FindAsync(daemon, "denied"));
    }

    private static async Task<PrometheusText> ScrapeUntilAsync(DaemonProcess daemon, Func<PrometheusText, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var metrics = PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));
            if (condition(metrics))
            {
                return metrics;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/metrics never showed {what}");
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_hls_player_is_a_play_at_its_first_request_and_a_stop_when_its_window_ends()
    {
        await using var backend = new HookReceiver();
        await using var daemon = await DaemonProcess.StartAsync(appJson: Hooks(backend, "\"events\": [ \"play\", \"stop\" ]"));
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, Wait);

        await using (var player = FfmpegPlayback.StartCopy(daemon.HttpUrl("live/cam.m3u8"), seconds: 300, userAgent: "hook-player"))
        {
            await backend.WaitForAsync(r => r.Event == "play", Wait, "the HLS player's play");
            // Its first request is the play; let it be sent segments before it stops.
            await Conditions.UntilAsync(async () => await HlsBytesSentAsync(daemon) >= 100_000, Wait, "the HLS player to be sent segments");
            Assert.False(player.HasExited, player.Stderr);
        }
        await backend.WaitForAsync(r => r.Event == "stop", Wait, "the HLS player's stop, once its window ended");

        var events = backend.EventsOf("/events", "cam");
        Assert.Equal(["play", "stop"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal("hls", e.Json.GetProperty("protocol").GetString()));
        Assert.Equal("127.0.0.1", events[0].Json.GetProperty("client").GetString());
        Assert.Equal(events[0].Json.GetProperty("sessionId").GetInt64(), events[1].Json.GetProperty("sessionId").GetInt64());
        Assert.True(events[1].Json.GetProperty("bytesOut").GetInt64() > 100_000, events[1].Json.ToString());
    }

    private static async Task<long> HlsBytesSentAsync(DaemonProcess daemon)
    {
        var reply = await Appliancectl.JsonAsync(daemon, "sessions", "--protocol", "hls");
        return reply.GetProperty("sessions").EnumerateArray().Sum(s => s.GetProperty("bytesOut").GetInt64());
    }
}
