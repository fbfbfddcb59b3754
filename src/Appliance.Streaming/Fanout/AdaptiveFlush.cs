namespace Appliance.Streaming.Fanout;

/// <summary>
/// Adaptive batching for one stream (<c>flushIntervalMs: -1</c>, the default): decides, for each
/// frame appended, whether the stream wakes its viewers at once or leaves the frame to a flush at
/// most <see cref="IntervalMs"/> after the previous one. The interval grows with the stream's
/// viewers, one millisecond per <see cref="ViewersPerMs"/>, up to <see cref="MaxIntervalMs"/>:
/// a stream wakes its viewers at most about 10,000 times a second in all (viewers x wakes per
/// viewer) until the bound, so a lone viewer is written every frame and 1,000 viewers are written
/// every 100 ms. A frame that comes after a quiet spell longer than the interval goes at once.
/// The caller holds the stream's lock around <see cref="OnAppend"/> and <see cref="TakeDue"/>.
/// </summary>
internal sealed class AdaptiveFlush : IDeferredFlush
{
    /// <summary>The most a frame waits for the merged write it goes out in.</summary>
    public const int MaxIntervalMs = 100;

    /// <summary>Each this many viewers add a millisecond to the interval.</summary>
    public const int ViewersPerMs = 10;

    private readonly Action _flush;
    private readonly IFlushScheduler _scheduler;
    private readonly Func<long> _clock;
    private long _lastWakeMs = long.MinValue / 2;
    private bool _scheduled;

    /// <param name="flush">Takes the stream's lock, calls <see cref="TakeDue"/> and wakes the viewers.</param>
    /// <param name="clock">Monotonic milliseconds.</param>
    public AdaptiveFlush(Action flush, IFlushScheduler scheduler, Func<long> clock)
    {
        _flush = flush;
        _scheduler = scheduler;
        _clock = clock;
    }

    /// <summary>Wakes that went out with the frame that caused them.</summary>
    public long ImmediateWakes { get; private set; }

    /// <summary>Wakes that went out at a deferred flush, each carrying every frame since the one before.</summary>
    public long DeferredWakes { get; private set; }

    /// <summary>The interval for a stream read by <paramref name="viewers"/> writers (viewers, relays and pushes).</summary>
    public static int IntervalMs(int viewers) => Math.Clamp(viewers / ViewersPerMs, 0, MaxIntervalMs);

    /// <summary>A frame was appended: true when the viewers are to be woken now; otherwise a flush is (or already was) scheduled.</summary>
    public bool OnAppend(int viewers)
    {
        if (_scheduled)
        {
            return false;
        }
        var interval = IntervalMs(viewers);
        var nowMs = _clock();
        if (nowMs - _lastWakeMs >= interval)
        {
            _lastWakeMs = nowMs;
            ImmediateWakes++;
            return true;
        }
        _scheduled = true;
        _scheduler.Schedule(this, _lastWakeMs + interval);
        return false;
    }

    /// <summary>The scheduled flush is running: true when the viewers are to be woken (it is still due).</summary>
    public bool TakeDue()
    {
        if (!_scheduled)
        {
            return false;
        }
        _scheduled = false;
        _lastWakeMs = _clock();
        DeferredWakes++;
        return true;
    }

    void IDeferredFlush.FlushDue() => _flush();
}
