using Appliance.Streaming.Fanout;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>A flush scheduler and clock the test drives: nothing flushes until <see cref="RunDue"/>.</summary>
internal sealed class ManualFlushScheduler : IFlushScheduler
{
    private readonly Lock _lock = new();
    private readonly List<(IDeferredFlush Target, long DueMs)> _queued = [];

    public long NowMs { get; set; }

    public int Scheduled { get; private set; }

    public IReadOnlyList<long> Deadlines
    {
        get
        {
            lock (_lock)
            {
                return [.. _queued.Select(q => q.DueMs)];
            }
        }
    }

    public void Schedule(IDeferredFlush target, long dueMs)
    {
        lock (_lock)
        {
            _queued.Add((target, dueMs));
            Scheduled++;
        }
    }

    /// <summary>Moves the clock to the earliest deadline and runs every flush due by then; how many ran.</summary>
    public int RunDue()
    {
        List<IDeferredFlush> due;
        lock (_lock)
        {
            if (_queued.Count == 0)
            {
                return 0;
            }
            NowMs = Math.Max(NowMs, _queued.Min(q => q.DueMs));
            due = [.. _queued.Where(q => q.DueMs <= NowMs).Select(q => q.Target)];
            _queued.RemoveAll(q => q.DueMs <= NowMs);
        }
        due.ForEach(target => target.FlushDue());
        return due.Count;
    }
}
