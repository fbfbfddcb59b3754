using System.Security.Cryptography;
using System.Text;
using Appliance.Node.Config;
using Appliance.Node.Webhooks;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.Webhooks;

/// <summary>What a backend receives: the body's keys per event, and the signature over it.</summary>
public sealed class WebhookBodyTests : IAsyncDisposable
{
    private readonly ScriptedTransport _backend = new();
    private readonly WebhookHub _hub;

    public WebhookBodyTests()
    {
        var config = ConfigLoader.Parse("""
            { "domains": [ { "name": "default", "apps": [ { "name": "live",
              "webhooks": { "urls": [ "http://127.0.0.1:9/hooks?token=abc" ], "secret": "s3cret" } } ] } ] }
            """);
        _hub = new WebhookHub(config, "edge-1", new LogCollector().CreateLogger("webhooks"), _ => _backend);
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task A_session_sends_its_start_then_its_end_with_the_same_session_id_bytes_and_duration()
    {
        var session = SessionWebhooks.Start(_hub, WebhookEventNames.Play, new StreamKey("default", "live", "cam"), 42, "http-flv", "192.0.2.7:50000", "token=t1&uid=9");
        session!.End(bytesIn: 120, bytesOut: 34_000, "client closed");
        await Eventually.WaitAsync(() => _hub.Counters.Delivered == 2, "both events delivered");

        var (play, stop) = (_backend.Attempts[0].Json, _backend.Attempts[1].Json);
        Assert.Equal(
            ["event", "id", "time", "node", "domain", "app", "stream", "protocol", "client", "sessionId", "params"],
            play.EnumerateObject().Select(p => p.Name));
        Assert.Equal("play", play.GetProperty("event").GetString());
        Assert.Equal("edge-1", play.GetProperty("node").GetString());
        Assert.Equal("cam", play.GetProperty("stream").GetString());
        Assert.Equal("http-flv", play.GetProperty("protocol").GetString());
        Assert.Equal("192.0.2.7:50000", play.GetProperty("client").GetString());
        Assert.Equal("token=t1&uid=9", play.GetProperty("params").GetString());
        Assert.EndsWith("Z", play.GetProperty("time").GetString(), StringComparison.Ordinal);
        Assert.Equal("stop", stop.GetProperty("event").GetString());
        Assert.Equal(42, stop.GetProperty("sessionId").GetInt64());
        Assert.Equal(120, stop.GetProperty("bytesIn").GetInt64());
        Assert.Equal(34_000, stop.GetProperty("bytesOut").GetInt64());
        Assert.True(stop.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal("client closed", stop.GetProperty("reason").GetString());
        Assert.False(stop.TryGetProperty("params", out _));
        Assert.True(stop.GetProperty("id").GetInt64() > play.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Each_post_is_signed_with_the_hex_hmac_sha256_of_its_body()
    {
        SessionWebhooks.Start(_hub, WebhookEventNames.Publish, new StreamKey("default", "live", "cam"), 1, "rtmp-publish", "192.0.2.7:50000", null);
        await Eventually.WaitAsync(() => _hub.Counters.Delivered == 1, "delivered");

        var attempt = _backend.Attempts.Single();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), attempt.Body));
        Assert.Equal(expected, attempt.Signature);
        Assert.Equal("publish", attempt.Event);
    }

    [Fact]
    public async Task Pull_events_name_the_upstreams_with_their_query_values_masked()
    {
        var pulls = new PullWebhooks(_hub);
        var key = new StreamKey("default", "live", "cam");

        pulls.Started(key, "rtmp://parent-1:1935/live?token=secret");
        pulls.FailedOver(key, "rtmp://parent-1:1935/live?token=secret", "http://parent-2:8080/{app}/{stream}.flv", "no media for 2000 ms");
        pulls.Ended(key, "http://parent-2:8080/{app}/{stream}.flv", "no viewer for 30000 ms", 5_000_000, 300, 61_000);
        await Eventually.WaitAsync(() => _hub.Counters.Delivered == 3, "three events delivered");

        var (start, failover, end) = (_backend.Attempts[0].Json, _backend.Attempts[1].Json, _backend.Attempts[2].Json);
        Assert.Equal("pull-start", start.GetProperty("event").GetString());
        Assert.Equal("rtmp://parent-1:1935/live?token=*****", start.GetProperty("upstream").GetString());
        Assert.False(start.TryGetProperty("client", out _));
        Assert.Equal("pull-failover", failover.GetProperty("event").GetString());
        Assert.Equal("rtmp://parent-1:1935/live?token=*****", failover.GetProperty("previousUpstream").GetString());
        Assert.Equal("http://parent-2:8080/{app}/{stream}.flv", failover.GetProperty("upstream").GetString());
        Assert.Equal("no media for 2000 ms", failover.GetProperty("reason").GetString());
        Assert.Equal("pull-end", end.GetProperty("event").GetString());
        Assert.Equal(5_000_000, end.GetProperty("bytesIn").GetInt64());
        Assert.Equal(61_000, end.GetProperty("durationMs").GetInt64());
    }

    [Fact]
    public async Task A_query_too_long_to_forward_is_left_out_of_the_body()
    {
        SessionWebhooks.Start(_hub, WebhookEventNames.Play, new StreamKey("default", "live", "cam"), 1, "rtmp-play", "c", new string('a', 9000));
        await Eventually.WaitAsync(() => _hub.Counters.Delivered == 1, "delivered");

        Assert.False(_backend.Attempts[0].Json.TryGetProperty("params", out _));
    }
}
