namespace Appliance.Streaming.Fanout;

/// <summary>Something a <see cref="IFlushScheduler"/> wakes once its deadline has passed.</summary>
internal interface IDeferredFlush
{
    /// <summary>Called on the scheduler's thread, with no scheduler lock held.</summary>
    void FlushDue();
}

/// <summary>Runs a deferred flush at a monotonic time (ms); a flush scheduled twice runs twice.</summary>
internal interface IFlushScheduler
{
    void Schedule(IDeferredFlush target, long dueMs);
}
