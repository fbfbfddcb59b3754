using System.Threading.Tasks.Sources;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>What a wait for a part ended with (<see cref="CmafPackager.WaitForPartAsync"/>).</summary>
public enum CmafWaitResult
{
    /// <summary>
    /// The part (or segment) exists now, or a later one, or the part's segment is complete without
    /// it: build the playlist or look the file up again (a part past its segment's end is not found).
    /// </summary>
    Available,

    /// <summary>The stream ended or its packaging stopped: serve what there is.</summary>
    Ended,

    /// <summary>The caller's token was cancelled (the client went away, or the hold timed out).</summary>
    Cancelled,

    /// <summary>The stream already holds as many requests as it may (cmaf.maxHeldRequests): answer 503 at once.</summary>
    TooManyWaiters,
}

/// <summary>
/// One held request, awaited as a <see cref="ValueTask{T}"/> without allocating: pooled by its
/// track's <see cref="PartWaiters"/>, armed for one wait, finished exactly once (by the part
/// arriving, the stream ending, or the caller's token), and returned to the pool when its result
/// is read. Continuations run on the thread pool, never on the publisher's thread.
/// </summary>
internal sealed class PartWaiter(PartWaiters owner) : IValueTaskSource<CmafWaitResult>
{
    private ManualResetValueTaskSourceCore<CmafWaitResult> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _finished;

    public long Msn { get; private set; }

    /// <summary>The part index, or -1 to wait for the whole segment.</summary>
    public int Part { get; private set; }

    public short Version => _core.Version;

    public void Arm(long msn, int part)
    {
        Msn = msn;
        Part = part;
        _finished = 0;
    }

    /// <summary>Set once, before anyone else can see the waiter (the callback only ever finishes it).</summary>
    public void Watch(CancellationToken token)
    {
        if (token.CanBeCanceled)
        {
            _registration = token.UnsafeRegister(static state => ((PartWaiter)state!).Cancel(), this);
        }
    }

    public bool IsUnclaimed => Volatile.Read(ref _finished) == 0;

    /// <summary>True for the one caller that may finish the wait.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _finished, 1) == 0;

    public void Finish(CmafWaitResult result) => _core.SetResult(result);

    private void Cancel()
    {
        if (TryClaim())
        {
            owner.Remove(this);
            Finish(CmafWaitResult.Cancelled);
        }
    }

    public CmafWaitResult GetResult(short token)
    {
        var result = _core.GetResult(token);
        // Waits for a cancellation callback running right now, so the waiter is idle before it is reused.
        _registration.Dispose();
        _registration = default;
        _core.Reset();
        owner.Return(this);
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
