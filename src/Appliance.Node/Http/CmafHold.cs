using System.Net;
using Appliance.Node.Limits;

namespace Appliance.Node.Http;

/// <summary>
/// One held CMAF request (a blocking reload, a preload-hinted part, an LL-DASH chunked segment):
/// its bound, three target durations or the client going away, whichever comes first, and its
/// place in its client address's count (limits.maxHeldRequestsPerIp). Disposing it (once) releases
/// both, whichever way the hold ends: answered, timed out, client gone, connection reset.
/// </summary>
/// <remarks>
/// The bound is the connection's own linked source, reset for each hold (a connection holds one
/// request at a time): a player holds several requests a second, and a source, a timer and a
/// registration node each would be garbage that lives just long enough to be promoted.
/// </remarks>
internal readonly struct CmafHold : IDisposable
{
    private readonly CancellationTokenSource _bound;
    private readonly HeldRequestLimiter _limiter;
    private readonly IPAddress _client;

    /// <summary>
    /// Starts the bound on <paramref name="bound"/> (not cancelled, no timer running) and takes over
    /// the place <paramref name="client"/> was counted in <paramref name="limiter"/>.
    /// </summary>
    public CmafHold(CancellationTokenSource bound, long boundMs, HeldRequestLimiter limiter, IPAddress client)
    {
        BoundMs = boundMs;
        _bound = bound;
        _limiter = limiter;
        _client = client;
        StartedAt = Environment.TickCount64;
        Restart();
    }

    /// <summary>When the hold started (Environment.TickCount64), for the log line of a hold that ends without its answer.</summary>
    public long StartedAt { get; }

    /// <summary>How long the hold waits for what it asks for.</summary>
    public long BoundMs { get; }

    /// <summary>Cancelled when the bound passes or the client goes away.</summary>
    public CancellationToken Token => _bound.Token;

    /// <summary>The bound starts again (each LL-DASH chunk is waited for within one of its own).</summary>
    public void Restart() => _bound.CancelAfter(TimeSpan.FromMilliseconds(BoundMs));

    /// <summary>Stops the bound's timer (the source is reused by the connection's next hold) and leaves the count.</summary>
    public void Dispose()
    {
        _bound.TryReset();
        _limiter.Leave(_client);
    }
}
