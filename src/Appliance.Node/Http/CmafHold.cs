using System.Net;
using Appliance.Node.Limits;

namespace Appliance.Node.Http;

/// <summary>
/// One held CMAF request (a blocking reload, a preload-hinted part, an LL-DASH chunked segment):
/// its bound, three target durations or the client going away, whichever comes first, and its
/// place in its client address's count (limits.maxHeldRequestsPerIp). Disposing it releases
/// both, whichever way the hold ends: answered, timed out, client gone, connection reset.
/// </summary>
internal sealed class CmafHold : IDisposable
{
    private readonly CancellationTokenSource _bound;
    private readonly HeldRequestLimiter _limiter;
    private readonly IPAddress _client;
    private int _disposed;

    /// <summary>Takes over the place <paramref name="client"/> was counted in <paramref name="limiter"/>.</summary>
    public CmafHold(CancellationToken clientGone, long boundMs, HeldRequestLimiter limiter, IPAddress client)
    {
        BoundMs = boundMs;
        _limiter = limiter;
        _client = client;
        _bound = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        _bound.CancelAfter(TimeSpan.FromMilliseconds(boundMs));
    }

    /// <summary>How long the hold waits for what it asks for.</summary>
    public long BoundMs { get; }

    /// <summary>Cancelled when the bound passes or the client goes away.</summary>
    public CancellationToken Token => _bound.Token;

    /// <summary>The bound starts again (each LL-DASH chunk is waited for within one of its own).</summary>
    public void Restart() => _bound.CancelAfter(TimeSpan.FromMilliseconds(BoundMs));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _bound.Dispose();
            _limiter.Leave(_client);
        }
    }
}
