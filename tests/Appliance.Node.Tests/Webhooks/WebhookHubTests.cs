using System.Collections.Concurrent;
using Appliance.Node.Config;
using Appliance.Node.Webhooks;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.Webhooks;

/// <summary>Which app sends what where, and what a reload keeps.</summary>
public sealed class WebhookHubTests
{
    private readonly ConcurrentDictionary<string, ScriptedTransport> _backends = new();

    private ScriptedTransport Backend(string url) => _backends.GetOrAdd(url, _ => new ScriptedTransport());

    private static ApplianceConfig Config(string liveHooks, string otherHooks = "") => ConfigLoader.Parse($$"""
        { "domains": [ { "name": "default", "apps": [
          { "name": "live", "webhooks": { {{liveHooks}} } },
          { "name": "other", "webhooks": { {{otherHooks}} } },
          { "name": "quiet" } ] } ] }
        """);

    private WebhookHub Hub(ApplianceConfig config) => new(config, "edge-1", new LogCollector().CreateLogger("webhooks"), s => Backend(s.Url));

    [Fact]
    public async Task An_app_without_urls_has_no_webhooks_and_its_sessions_send_nothing()
    {
        await using var hub = Hub(Config("\"urls\": [ \"http://127.0.0.1:9/a\" ]"));

        Assert.NotNull(hub.For("default", "live"));
        Assert.Null(hub.For("default", "quiet"));
        Assert.Null(SessionWebhooks.Start(hub, WebhookEventNames.Publish, new StreamKey("default", "quiet", "cam"), 1, "rtmp-publish", "c", null));
        Assert.Equal(0, hub.Pending);
    }

    [Fact]
    public async Task Only_the_listed_events_are_sent_and_an_end_event_may_be_wanted_without_its_start()
    {
        await using var hub = Hub(Config("\"urls\": [ \"http://127.0.0.1:9/a\" ], \"events\": [ \"stop\" ]"));

        var session = SessionWebhooks.Start(hub, WebhookEventNames.Play, new StreamKey("default", "live", "cam"), 7, "rtmp-play", "c", null);
        session!.End(1, 2, "client closed");
        await Eventually.WaitAsync(() => hub.Counters.Delivered == 1, "the stop event delivered");

        Assert.Equal("stop", Assert.Single(Backend("http://127.0.0.1:9/a").Attempts).Event);
    }

    [Fact]
    public async Task Apps_naming_one_url_alike_share_its_queue_and_each_url_of_an_app_gets_the_event()
    {
        await using var hub = Hub(Config("\"urls\": [ \"http://127.0.0.1:9/a\", \"http://127.0.0.1:9/b\" ]", "\"urls\": [ \"http://127.0.0.1:9/a\" ]"));

        Assert.Same(hub.For("default", "live")!.Targets[0], hub.For("default", "other")!.Targets[0]);
        SessionWebhooks.Start(hub, WebhookEventNames.Publish, new StreamKey("default", "live", "cam"), 1, "rtmp-publish", "c", null);
        await Eventually.WaitAsync(() => hub.Counters.Delivered == 2, "one POST per URL");

        Assert.Equal("publish", Assert.Single(Backend("http://127.0.0.1:9/a").Attempts).Event);
        Assert.Equal("publish", Assert.Single(Backend("http://127.0.0.1:9/b").Attempts).Event);
    }

    [Fact]
    public async Task A_reload_keeps_the_queue_of_an_unchanged_url_and_closes_one_whose_settings_changed()
    {
        await using var hub = Hub(Config("\"urls\": [ \"http://127.0.0.1:9/a\" ]", "\"urls\": [ \"http://127.0.0.1:9/b\" ]"));
        var kept = hub.For("default", "live")!.Targets[0];
        var changed = hub.For("default", "other")!.Targets[0];

        hub.Apply(Config("\"urls\": [ \"http://127.0.0.1:9/a\" ]", "\"urls\": [ \"http://127.0.0.1:9/b\" ], \"retries\": 5"));

        Assert.Same(kept, hub.For("default", "live")!.Targets[0]);
        Assert.NotSame(changed, hub.For("default", "other")!.Targets[0]);
        Assert.False(changed.TryEnqueue(Events.Of("play")));
        Assert.True(kept.TryEnqueue(Events.Of("play")));
    }

    [Fact]
    public async Task The_end_event_goes_where_the_app_sends_events_now()
    {
        await using var hub = Hub(Config("\"urls\": [ \"http://127.0.0.1:9/a\" ]"));
        var session = SessionWebhooks.Start(hub, WebhookEventNames.Publish, new StreamKey("default", "live", "cam"), 3, "rtmp-publish", "c", null);
        await Eventually.WaitAsync(() => hub.Counters.Delivered == 1, "the publish event delivered");

        hub.Apply(Config("\"urls\": [ \"http://127.0.0.1:9/b\" ]"));
        session!.End(10, 20, "deleteStream");
        await Eventually.WaitAsync(() => hub.Counters.Delivered == 2, "the unpublish event delivered");

        Assert.Equal("publish", Assert.Single(Backend("http://127.0.0.1:9/a").Attempts).Event);
        Assert.Equal("unpublish", Assert.Single(Backend("http://127.0.0.1:9/b").Attempts).Event);
    }
}
