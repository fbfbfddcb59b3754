namespace Appliance.Live.Relay.Pull;

/// <summary>One open upstream session (RTMP play or HTTP-FLV GET) delivering media messages.</summary>
public abstract class UpstreamFeed : IAsyncDisposable
{
    /// <summary>The next message (the caller releases its payload), or null when the upstream ended the stream.</summary>
    public abstract ValueTask<FeedMessage?> ReadAsync(CancellationToken ct);

    /// <summary>Bytes received so far, for the throughput figure of the route.</summary>
    public abstract long BytesReceived { get; }

    public abstract ValueTask DisposeAsync();
}
