namespace Appliance.Node.Http;

/// <summary>
/// One held CMAF request (a blocking reload, a preload-hinted part, an LL-DASH chunked segment):
/// its bound, three target durations or the client going away, whichever comes first. Disposing
/// it releases what it holds, whichever way the hold ends: answered, timed out, client gone,
/// connection reset.
/// </summary>
internal sealed class CmafHold : IDisposable
{
    private readonly CancellationTokenSource _bound;

    public CmafHold(CancellationToken clientGone, long boundMs)
    {
        BoundMs = boundMs;
        _bound = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        _bound.CancelAfter(TimeSpan.FromMilliseconds(boundMs));
    }

    /// <summary>How long the hold waits for what it asks for.</summary>
    public long BoundMs { get; }

    /// <summary>Cancelled when the bound passes or the client goes away.</summary>
    public CancellationToken Token => _bound.Token;

    /// <summary>The bound starts again (each LL-DASH chunk is waited for within one of its own).</summary>
    public void Restart() => _bound.CancelAfter(TimeSpan.FromMilliseconds(BoundMs));

    public void Dispose() => _bound.Dispose();
}
