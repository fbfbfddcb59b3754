using Appliance.Node.Config;

namespace Appliance.Node.Webhooks;

/// <summary>
/// Everything that makes one URL's queue what it is. Equal settings share one queue: across apps
/// that name the same URL alike, and across a reload that leaves them as they were, so events of
/// one stream keep their order through it.
/// </summary>
internal sealed record WebhookTargetSettings(string Url, string? Secret, int QueueSize, int Retries, int RetryMs, int MaxRetryMs, int TimeoutMs)
{
    public static WebhookTargetSettings Of(string url, WebhookConfig hooks) =>
        new(url, hooks.Secret, hooks.QueueSize, hooks.Retries, hooks.RetryMs, hooks.MaxRetryMs, hooks.TimeoutMs);

    /// <summary>The wait before retry <paramref name="retry"/> (0 for the first): retryMs doubled each time, at most maxRetryMs.</summary>
    public long BackoffMs(int retry) => Math.Min((long)RetryMs << Math.Min(retry, 30), MaxRetryMs);

    // The secret stays out of logs and exceptions.
    public override string ToString() => $"webhook {Relay.Urls.UrlSyntax.MaskQueryValues(Url)}";
}
