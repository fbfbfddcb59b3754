using Appliance.Core.Time;

namespace Appliance.Node.Transcoding;

/// <summary>
/// How many of a child's log lines are written: <see cref="MaxLines"/> per window, so a failing
/// ffmpeg's few lines of reasons all get through while one that complains with every frame costs
/// a line per window saying how many were left out. Thread-safe.
/// </summary>
internal sealed class LineBudget(Func<long>? clock = null)
{
    public const int MaxLines = 20;
    public const long WindowMs = 10_000;

    private readonly Func<long> _clock = clock ?? (static () => MonotonicClock.NowMs);
    private readonly Lock _lock = new();
    private long _windowStartMs = long.MinValue;
    private int _written;
    private long _suppressed;

    /// <summary>Whether this line is written; <paramref name="suppressedBefore"/> is the count of lines left out in the window that just closed (0 if none).</summary>
    public bool Take(out long suppressedBefore, out double windowSeconds)
    {
        lock (_lock)
        {
            var now = _clock();
            suppressedBefore = 0;
            windowSeconds = 0;
            if (_windowStartMs == long.MinValue || now - _windowStartMs >= WindowMs)
            {
                suppressedBefore = _suppressed;
                windowSeconds = _windowStartMs == long.MinValue ? 0 : (now - _windowStartMs) / 1000.0;
                _windowStartMs = now;
                _written = 0;
                _suppressed = 0;
            }
            if (_written < MaxLines)
            {
                _written++;
                return true;
            }
            _suppressed++;
            return false;
        }
    }
}
