using Appliance.Streaming.Streams;

namespace Appliance.Relay.Hosting;

/// <summary>
/// What the node hears of a pull's life (its webhooks). Called from the pull's own task at most
/// once per upstream session, never per frame; an implementation must return at once.
/// </summary>
public interface IPullEvents
{
    /// <summary>The first upstream delivered: the pull feeds the stream (<paramref name="upstream"/>, its URL).</summary>
    void Started(StreamKey stream, string upstream);

    /// <summary>The stream moved from one upstream to another: the one before failed, stalled or was clearly beaten.</summary>
    void FailedOver(StreamKey stream, string from, string to, string reason);

    /// <summary>
    /// A pull that had started stopped: the last upstream, why, the bytes received from and sent to
    /// its upstreams, and how long since it started.
    /// </summary>
    void Ended(StreamKey stream, string upstream, string reason, long bytesIn, long bytesOut, long durationMs);
}
