using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>An app's "webhooks" section: what it accepts, and each refusal in the user's words with its key path.</summary>
public sealed class WebhookConfigTests
{
    private static string App(string hooks) =>
        "{ \"domains\": [ { \"name\": \"default\", \"apps\": [ { \"name\": \"live\", \"webhooks\": " + hooks + " } ] } ] }";

    [Theory]
    [InlineData("{ \"urls\": [ \"ftp://backend/hooks\" ] }", "$.domains[0].apps[0].webhooks.urls[0]: must be an absolute http or https URL")]
    [InlineData("{ \"urls\": [ \"/hooks\" ] }", "$.domains[0].apps[0].webhooks.urls[0]: must be an absolute http or https URL")]
    [InlineData("{ \"urls\": [ \"http://user:pw@backend/hooks\" ] }", "$.domains[0].apps[0].webhooks.urls[0]: must not carry user:password before the host; use secret, or a token in the query")]
    [InlineData("{ \"urls\": [ \"http://backend/a\", \"http://backend/a\" ] }", "$.domains[0].apps[0].webhooks.urls[1]: 'http://backend/a' is listed twice")]
    [InlineData("{ \"urls\": [ \"http://b/1\", \"http://b/2\", \"http://b/3\", \"http://b/4\", \"http://b/5\", \"http://b/6\", \"http://b/7\", \"http://b/8\", \"http://b/9\" ] }", "$.domains[0].apps[0].webhooks.urls: lists more than 8 URLs")]
    [InlineData("{ \"urls\": null }", "$.domains[0].apps[0].webhooks.urls: must be an array of http or https URLs")]
    [InlineData("{ \"events\": [ \"publish\", \"on_publish\" ] }", "$.domains[0].apps[0].webhooks.events[1]: must be one of publish, unpublish, play, stop, pull-start, pull-failover, pull-end")]
    [InlineData("{ \"events\": [ \"play\", \"play\" ] }", "$.domains[0].apps[0].webhooks.events[1]: 'play' is listed twice")]
    [InlineData("{ \"urls\": [ \"http://backend/hooks\" ], \"events\": [] }", "$.domains[0].apps[0].webhooks.events: lists no event; leave urls empty to send none")]
    [InlineData("{ \"events\": null }", "$.domains[0].apps[0].webhooks.events: must be an array of event names")]
    [InlineData("{ \"secret\": \"\" }", "$.domains[0].apps[0].webhooks.secret: must be 1 to 256 characters when set")]
    [InlineData("{ \"queueSize\": 0 }", "$.domains[0].apps[0].webhooks.queueSize: must be between 1 and 1000000")]
    [InlineData("{ \"retries\": -1 }", "$.domains[0].apps[0].webhooks.retries: must be between 0 and 20")]
    [InlineData("{ \"retries\": 21 }", "$.domains[0].apps[0].webhooks.retries: must be between 0 and 20")]
    [InlineData("{ \"retryMs\": 5 }", "$.domains[0].apps[0].webhooks.retryMs: must be between 10 and 60000")]
    [InlineData("{ \"retryMs\": 2000, \"maxRetryMs\": 1000 }", "$.domains[0].apps[0].webhooks.maxRetryMs: must be between retryMs and 600000")]
    [InlineData("{ \"timeoutMs\": 50 }", "$.domains[0].apps[0].webhooks.timeoutMs: must be between 100 and 60000")]
    [InlineData("null", "$.domains[0].apps[0].webhooks: must be an object")]
    public void A_bad_webhooks_setting_is_refused_with_its_key_path_and_why(string hooks, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(hooks), "t.json"));

        Assert.Contains($"t.json: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_secret_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App($"{{ \"secret\": \"{new string('k', 257)}\" }}"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].webhooks.secret: must be 1 to 256 characters when set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_and_wrong_kinds_are_reported_with_the_known_keys_and_the_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("{\n \"url\": \"http://backend/hooks\",\n \"retries\": \"3\" }"), "t.json"));

        Assert.Contains("$.domains[0].apps[0].webhooks.url: unknown key; known keys here: urls, events, secret, queueSize, retries, retryMs, maxRetryMs, timeoutMs (line 2, column 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.domains[0].apps[0].webhooks.retries: must be a whole number (line 3, column 13)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_send_every_event_nowhere_until_urls_are_set()
    {
        var hooks = ConfigLoader.Parse("{}").Domains[0].Apps[0].Webhooks;

        Assert.Empty(hooks.Urls);
        Assert.Equal(WebhookEventNames.All, hooks.Events);
        Assert.Null(hooks.Secret);
        Assert.Equal((1000, 3, 1000, 30_000, 5000), (hooks.QueueSize, hooks.Retries, hooks.RetryMs, hooks.MaxRetryMs, hooks.TimeoutMs));
    }

    [Fact]
    public void A_full_section_is_accepted_and_its_events_replace_the_default_list()
    {
        var hooks = ConfigLoader.Parse(App("""
            { "urls": [ "https://backend.example.com/hooks?key=abc", "http://10.0.0.9:8000/events" ],
              "events": [ "publish", "unpublish" ], "secret": "s3cret", "queueSize": 50, "retries": 0, "retryMs": 10, "maxRetryMs": 10, "timeoutMs": 100 }
            """)).Domains[0].Apps[0].Webhooks;

        Assert.Equal(2, hooks.Urls.Count);
        Assert.Equal(["publish", "unpublish"], hooks.Events);
        Assert.Equal("s3cret", hooks.Secret);
    }
}
