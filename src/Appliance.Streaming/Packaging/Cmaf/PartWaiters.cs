namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>How many requests a stream may hold at once, over its tracks.</summary>
internal sealed class WaiterLimit(int max)
{
    private int _count;

    public int Max => max;

    public int Count => Volatile.Read(ref _count);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _count) <= max)
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Return() => Interlocked.Decrement(ref _count);
}

/// <summary>
/// The requests held on one track until a part or segment exists (LL-HLS blocking reloads,
/// preload-hinted parts, LL-DASH chunks still to come). When a part or a segment completes, one
/// pass over the held requests finishes those it satisfies: O(waiters), and nothing allocated, as
/// waiters come from a pool and their continuations are queued to the thread pool as they are.
/// </summary>
internal sealed class PartWaiters(WaiterLimit limit)
{
    private const int MaxPooled = 4096;

    private readonly Lock _lock = new();
    private readonly List<PartWaiter> _waiting = [];
    private readonly Stack<PartWaiter> _pool = new();
    private long _lastComplete = -1;
    private long _lastPartMsn = -1;
    private int _lastPart = -1;
    private bool _ended;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Completes when part <paramref name="part"/> of segment <paramref name="msn"/> or a later one
    /// exists, or segment <paramref name="msn"/> is complete (without the part, if it ended before
    /// it); part -1 waits for the segment to be complete.
    /// </summary>
    public ValueTask<CmafWaitResult> WaitAsync(long msn, int part, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            return new(CmafWaitResult.Cancelled);
        }
        PartWaiter waiter;
        lock (_lock)
        {
            if (_ended)
            {
                return new(CmafWaitResult.Ended);
            }
            if (IsSatisfied(msn, part))
            {
                return new(CmafWaitResult.Available);
            }
            if (!limit.TryTake())
            {
                return new(CmafWaitResult.TooManyWaiters);
            }
            waiter = _pool.TryPop(out var pooled) ? pooled : new PartWaiter(this);
            waiter.Arm(msn, part);
        }
        // Outside the lock: a token cancelled meanwhile runs the callback here, and it takes the lock.
        waiter.Watch(token);
        lock (_lock)
        {
            if (_ended || IsSatisfied(msn, part))
            {
                if (waiter.TryClaim())
                {
                    limit.Return();
                    waiter.Finish(_ended ? CmafWaitResult.Ended : CmafWaitResult.Available);
                }
            }
            else
            {
                // A waiter cancelled inline is claimed already: it must not be listed.
                if (waiter.IsUnclaimed)
                {
                    _waiting.Add(waiter);
                }
            }
        }
        return new ValueTask<CmafWaitResult>(waiter, waiter.Version);
    }

    /// <summary>The track's newest part and complete segment: finishes every request they satisfy.</summary>
    public void Advance(long lastComplete, long lastPartMsn, int lastPart)
    {
        lock (_lock)
        {
            if ((_lastComplete, _lastPartMsn, _lastPart) == (lastComplete, lastPartMsn, lastPart))
            {
                // The other track moved: nothing held here can have been satisfied.
                return;
            }
            _lastComplete = lastComplete;
            _lastPartMsn = lastPartMsn;
            _lastPart = lastPart;
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                var waiter = _waiting[i];
                if (IsSatisfied(waiter.Msn, waiter.Part) && waiter.TryClaim())
                {
                    RemoveAt(i);
                    limit.Return();
                    waiter.Finish(CmafWaitResult.Available);
                }
            }
        }
    }

    /// <summary>The stream ended or packaging stopped: every held request is answered, and new ones at once.</summary>
    public void End()
    {
        lock (_lock)
        {
            _ended = true;
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                var waiter = _waiting[i];
                if (waiter.TryClaim())
                {
                    RemoveAt(i);
                    limit.Return();
                    waiter.Finish(CmafWaitResult.Ended);
                }
            }
        }
    }

    /// <summary>A cancelled waiter leaves the list (it was claimed by its callback).</summary>
    internal void Remove(PartWaiter waiter)
    {
        lock (_lock)
        {
            var index = _waiting.IndexOf(waiter);
            if (index >= 0)
            {
                RemoveAt(index);
            }
            limit.Return();
        }
    }

    internal void Return(PartWaiter waiter)
    {
        lock (_lock)
        {
            if (_pool.Count < MaxPooled)
            {
                _pool.Push(waiter);
            }
        }
    }

    // A part's wait ends with its segment too: a part past the segment's end is then known never
    // to come, and the chunked body of that segment can end, without waiting for the next part.
    private bool IsSatisfied(long msn, int part) => _lastComplete >= msn ||
        (part >= 0 && (_lastPartMsn > msn || (_lastPartMsn == msn && _lastPart >= part)));

    // Order does not matter: the last one takes the freed place.
    private void RemoveAt(int index)
    {
        var last = _waiting.Count - 1;
        _waiting[index] = _waiting[last];
        _waiting.RemoveAt(last);
    }
}
