namespace Appliance.Live.Relay.Routing;

/// <summary>
/// A latency estimate that believes bad news at once and good news slowly: a sample above the
/// current value replaces it (a spike counts immediately); a sample below it pulls the value down
/// by a time-weighted EWMA, <c>value = value·w + sample·(1 − w)</c> with
/// <c>w = exp(−Δt / decay)</c> and Δt the time since the previous sample. So one slow answer makes a
/// path look slow until several fast ones over about <c>decay</c> prove otherwise, and a path is
/// never preferred on the strength of one lucky sample. Times are monotonic milliseconds passed in
/// by the caller, which keeps it deterministic under test. Thread-safe.
/// </summary>
public sealed class PeakEwma
{
    private readonly Lock _gate = new();
    private EwmaState _state;

    /// <param name="decayMs">Time constant of the downward decay; larger forgets spikes more slowly.</param>
    public PeakEwma(double decayMs = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decayMs);
        DecayMs = decayMs;
    }

    public double DecayMs { get; }

    public bool HasValue
    {
        get
        {
            lock (_gate)
            {
                return _state.HasValue;
            }
        }
    }

    /// <summary>The current estimate, or <see cref="double.NaN"/> before the first sample.</summary>
    public double Value
    {
        get
        {
            lock (_gate)
            {
                return _state.HasValue ? _state.Value : double.NaN;
            }
        }
    }

    /// <summary>When the last sample was recorded (monotonic ms), or <see cref="long.MinValue"/> before the first.</summary>
    public long LastSampleMs
    {
        get
        {
            lock (_gate)
            {
                return _state.HasValue ? _state.LastMs : long.MinValue;
            }
        }
    }

    /// <summary>Reads the estimate and when it was last fed, together; false before the first sample.</summary>
    public bool TryGet(out double value, out long lastSampleMs)
    {
        lock (_gate)
        {
            value = _state.Value;
            lastSampleMs = _state.LastMs;
            return _state.HasValue;
        }
    }

    public void Record(double sample, long nowMs)
    {
        lock (_gate)
        {
            _state.Record(sample, nowMs, DecayMs, peak: true);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = default;
        }
    }
}
