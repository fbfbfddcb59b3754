namespace Appliance.Relay.Config;

/// <summary>How an app with upstreams (or with the node's stream directory) fetches streams it does not have.</summary>
public sealed class PullConfig
{
    /// <summary>"on-demand" (when the first viewer asks), "always" (keep <see cref="Streams"/> pulled), or "off".</summary>
    public string Mode { get; set; } = "on-demand";

    /// <summary>For "always": the stream names to keep pulled.</summary>
    public List<string> Streams { get; set; } = [];

    /// <summary>How long viewers of a missing stream wait for the pull's first media before 404 / StreamNotFound.</summary>
    public int WaitMs { get; set; } = 10_000;

    /// <summary>An on-demand pull stops this long after its last viewer left.</summary>
    public int IdleMs { get; set; } = 30_000;

    /// <summary>No media from upstream for this long counts as a stall: the pull moves to the next candidate.</summary>
    public int StallMs { get; set; } = 2_000;

    /// <summary>Connecting and starting to play one candidate must not take longer.</summary>
    public int ConnectTimeoutMs { get; set; } = 3_000;

    /// <summary>A request that already passed through this many nodes is not pulled further (loop protection).</summary>
    public int MaxHops { get; set; } = 8;

    /// <summary>Backoff between rounds when every candidate failed: from this, doubling up to <see cref="MaxRetryMs"/>.</summary>
    public int RetryMs { get; set; } = 500;

    public int MaxRetryMs { get; set; } = 30_000;

    /// <summary>
    /// Whether the app looks streams up in the node's stream directory (when one is configured)
    /// before its upstreams; with it, an app without upstreams pulls what the directory names.
    /// </summary>
    public bool Directory { get; set; } = true;
}
