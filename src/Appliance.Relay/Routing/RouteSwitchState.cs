namespace Appliance.Relay.Routing;

/// <summary>
/// One stream's memory for <see cref="RouteSelector.ShouldLeave"/>: since when a clearly better
/// route has been seen, and when the stream last switched. Thread-safe.
/// </summary>
public sealed class RouteSwitchState
{
    private readonly Lock _gate = new();
    private long _betterSinceMs = long.MinValue;
    private long _lastSwitchMs = long.MinValue;

    /// <summary>When the stream last moved to another candidate; <see cref="long.MinValue"/> if never.</summary>
    public long LastSwitchMs
    {
        get
        {
            lock (_gate)
            {
                return _lastSwitchMs;
            }
        }
    }

    /// <summary>The stream moved to another candidate: the anti-flap interval starts, and what was better than the old route no longer matters.</summary>
    public void NoteSwitch(long now)
    {
        lock (_gate)
        {
            _lastSwitchMs = now;
            _betterSinceMs = long.MinValue;
        }
    }

    /// <summary>Records one observation; returns since when a better route has been seen without a break, or null.</summary>
    internal long? Observe(bool better, long now)
    {
        lock (_gate)
        {
            if (!better)
            {
                _betterSinceMs = long.MinValue;
                return null;
            }
            if (_betterSinceMs == long.MinValue)
            {
                _betterSinceMs = now;
            }
            return _betterSinceMs;
        }
    }
}
