namespace Appliance.Node.Config;

/// <summary>
/// An app's event webhooks: what happened to its streams (publish, play, their ends, pulls),
/// POSTed as JSON to the customer's backend after the fact. They notify and never refuse; the
/// auth callback (auth.publish/auth.play scheme "callback") is the hook that can say no.
/// </summary>
public sealed class WebhookConfig
{
    /// <summary>http or https URLs each event is POSTed to, each with a queue of its own; empty = no webhooks.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The events sent (<see cref="WebhookEventNames"/>); all by default.</summary>
    public List<string> Events { get; set; } = [.. WebhookEventNames.All];

    /// <summary>When set, each POST carries X-Appliance-Signature: sha256={hex HMAC-SHA256 of the body with this text as key}.</summary>
    public string? Secret { get; set; }

    /// <summary>Events waiting or in flight per URL; past it an event is dropped (counted and logged), never waited for.</summary>
    public int QueueSize { get; set; } = 1000;

    /// <summary>Further attempts after a failed one (a 5xx, 408, 429, timeout or connection error); 0 = one attempt.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles for each one after, up to <see cref="MaxRetryMs"/>.</summary>
    public int RetryMs { get; set; } = 1000;

    public int MaxRetryMs { get; set; } = 30_000;

    /// <summary>One attempt without an answer (status line and headers) within this long has failed.</summary>
    public int TimeoutMs { get; set; } = 5000;
}

/// <summary>The names of the events, as config lists them and as the body's "event" says.</summary>
public static class WebhookEventNames
{
    public const string Publish = "publish";
    public const string Unpublish = "unpublish";
    public const string Play = "play";
    public const string Stop = "stop";
    public const string PullStart = "pull-start";
    public const string PullFailover = "pull-failover";
    public const string PullEnd = "pull-end";

    public static readonly IReadOnlyList<string> All = [Publish, Unpublish, Play, Stop, PullStart, PullFailover, PullEnd];
}
