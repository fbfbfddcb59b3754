using Appliance.Transport.Accounting;

namespace Appliance.Relay.Pull;

/// <summary>
/// One open upstream session (RTMP play or HTTP-FLV GET) delivering media messages. It counts in
/// the node's traffic (listener "upstream") from the moment it opens until it is disposed.
/// </summary>
public abstract class UpstreamFeed : IAsyncDisposable, IConnectionTraffic
{
    private TrafficTotals? _traffic;

    public string Listener => TrafficTotals.Upstream;

    /// <summary>The next message (the caller releases its payload), or null when the upstream ended the stream.</summary>
    public abstract ValueTask<FeedMessage?> ReadAsync(CancellationToken ct);

    /// <summary>The parent's 64-bit media time when the session opened, when it said (<see cref="ParentMediaTime"/>).</summary>
    public long? MediaTimeMs { get; protected set; }

    /// <summary>Why what the parent said as its media time was ignored, or null.</summary>
    public string? MediaTimeProblem { get; protected set; }

    /// <summary>Bytes received so far (still readable once disposed), for the route's throughput and the node's traffic.</summary>
    public abstract long BytesReceived { get; }

    /// <summary>Bytes sent to the upstream so far (the request, commands, acknowledgements).</summary>
    public abstract long BytesSent { get; }

    /// <summary>Closes the session and moves its bytes into the node's totals.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _traffic, null)?.OnClosed(this);
    }

    /// <summary>Registers the open session in <paramref name="traffic"/>; its factory calls this once it is open.</summary>
    protected void CountIn(TrafficTotals traffic)
    {
        _traffic = traffic;
        traffic.OnOpened(this);
    }

    long IConnectionTraffic.BytesIn => BytesReceived;

    long IConnectionTraffic.BytesOut => BytesSent;

    protected abstract ValueTask CloseAsync();
}
