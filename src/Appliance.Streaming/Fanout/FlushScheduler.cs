using Appliance.Core.Time;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// The thread that runs adaptive batching's deferred flushes: it sleeps until the earliest
/// deadline, so an idle node pays nothing and a stream is woken within about a millisecond of
/// its deadline. Each stream has at most one flush queued at a time, so the queue holds at
/// most one entry per stream with merged writes.
/// </summary>
internal sealed class FlushScheduler : IFlushScheduler
{
    private static readonly Lazy<FlushScheduler> Instance = new(() => new FlushScheduler());

    private readonly object _gate = new();
    private readonly PriorityQueue<IDeferredFlush, long> _queue = new();

    private FlushScheduler()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "flush-adaptive" };
        thread.Start();
    }

    public static FlushScheduler Shared => Instance.Value;

    public void Schedule(IDeferredFlush target, long dueMs)
    {
        lock (_gate)
        {
            _queue.Enqueue(target, dueMs);
            // The thread may be asleep until a later deadline (or for good): let it look again.
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            Next().FlushDue();
        }
    }

    private IDeferredFlush Next()
    {
        lock (_gate)
        {
            while (true)
            {
                if (!_queue.TryPeek(out var target, out var dueMs))
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var waitMs = dueMs - MonotonicClock.NowMs;
                if (waitMs <= 0)
                {
                    _queue.Dequeue();
                    return target;
                }
                Monitor.Wait(_gate, (int)Math.Min(waitMs, int.MaxValue));
            }
        }
    }
}
