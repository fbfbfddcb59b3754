using Appliance.Core.Time;

namespace Appliance.Live.Relay.Directory;

/// <summary>
/// Lets one line of a recurring failure through per interval and counts the rest, so a Redis that
/// stays down for hours writes a line a minute, not one per refresh or lookup.
/// </summary>
internal sealed class LogThrottle(long intervalMs, Func<long>? clock = null)
{
    private readonly Func<long> _clock = clock ?? (static () => MonotonicClock.NowMs);
    private readonly Lock _lock = new();
    private long _lastMs = long.MinValue;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were swallowed since the last one.</summary>
    public bool ShouldLog(out int suppressed)
    {
        lock (_lock)
        {
            var now = _clock();
            if (_lastMs != long.MinValue && now - _lastMs < intervalMs)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _lastMs = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }

    /// <summary>The failure is over: the next one is logged at once.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _lastMs = long.MinValue;
            _suppressed = 0;
        }
    }
}
