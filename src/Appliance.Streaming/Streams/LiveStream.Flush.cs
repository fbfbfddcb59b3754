using Appliance.Core.Time;
using Appliance.Streaming.Fanout;

namespace Appliance.Streaming.Streams;

/// <summary>
/// When viewers are woken for new frames (flushIntervalMs): 0 wakes them for every frame; N > 0
/// leaves it to each writer's flush ticker; -1 (the default) lets <see cref="AdaptiveFlush"/>
/// decide by the number of viewers. A joining or resuming viewer's writer is woken apart, at once,
/// whatever the setting, so its first write (headers and GOP) never waits for a flush.
/// </summary>
public sealed partial class LiveStream
{
    private AdaptiveFlush? _adaptive;

    /// <summary>Adaptive batching's wakes so far: with the frame that caused them, and merged at a deferred flush.</summary>
    internal (long Immediate, long Deferred) AdaptiveWakes
    {
        get
        {
            lock (_lock)
            {
                return (_adaptive?.ImmediateWakes ?? 0, _adaptive?.DeferredWakes ?? 0);
            }
        }
    }

    /// <summary>Tests: deferred flushes go to <paramref name="scheduler"/> and time comes from <paramref name="clock"/>.</summary>
    internal void UseFlushScheduler(IFlushScheduler scheduler, Func<long> clock)
    {
        lock (_lock)
        {
            _adaptive = new AdaptiveFlush(FlushDeferred, scheduler, clock);
        }
    }

    /// <summary>Under the lock, after a frame went into the log.</summary>
    private void WakeViewersAfterAppend()
    {
        if (App.FlushIntervalMs == 0)
        {
            NotifyViewers();
        }
        else if (App.FlushIntervalMs < 0)
        {
            _adaptive ??= new AdaptiveFlush(FlushDeferred, FlushScheduler.Shared, static () => MonotonicClock.NowMs);
            if (_adaptive.OnAppend(_viewers.Count))
            {
                NotifyViewers();
            }
        }
    }

    /// <summary>
    /// The scheduler's thread: the frames held since the last wake go out in one write per viewer,
    /// made by the flush's chunks on the thread pool (<see cref="FlushChunk"/>), queued once the
    /// stream's lock is free, since each viewer's collect takes it.
    /// </summary>
    private void FlushDeferred()
    {
        var chunks = new FlushChunk.Builder();
        lock (_lock)
        {
            if (_adaptive?.TakeDue() != true)
            {
                return;
            }
            for (var i = 0; i < _viewers.Count; i++)
            {
                chunks.Add(_viewers[i].Writer);
            }
        }
        chunks.Queue();
    }

    /// <summary>Wakes every viewer's writer (a flag and, for an idle writer, one queued continuation each).</summary>
    private void NotifyViewers()
    {
        for (var i = 0; i < _viewers.Count; i++)
        {
            _viewers[i].Writer.Notify();
        }
    }
}
