namespace Appliance.Node.Webhooks;

/// <summary>The node's webhook deliveries so far, over every app and URL: what /metrics shows.</summary>
public sealed class WebhookCounters
{
    private long _delivered;
    private long _failed;
    private long _dropped;
    private long _retries;

    /// <summary>Events a backend answered with a 2xx.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events given up: retries exhausted, or an answer not worth retrying (a 4xx, a redirect).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events not queued because their URL's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Attempts after a failed one.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    internal void OnDelivered() => Interlocked.Increment(ref _delivered);

    internal void OnFailed() => Interlocked.Increment(ref _failed);

    internal void OnDropped() => Interlocked.Increment(ref _dropped);

    internal void OnRetry() => Interlocked.Increment(ref _retries);
}
