namespace Appliance.Live.Relay.Routing;

/// <summary>
/// A plain time-weighted moving average, <c>value = value·w + sample·(1 − w)</c> with
/// <c>w = exp(−Δt / decay)</c>: for rates such as throughput, where one low second is noise and
/// a sustained drop is news. Times are monotonic milliseconds passed in. Thread-safe.
/// </summary>
public sealed class Ewma
{
    private readonly Lock _gate = new();
    private double _value;
    private long _lastMs;
    private bool _hasValue;

    public Ewma(double decayMs = 5_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decayMs);
        DecayMs = decayMs;
    }

    public double DecayMs { get; }

    /// <summary>Reads the estimate and when it was last fed, together; false before the first sample.</summary>
    public bool TryGet(out double value, out long lastSampleMs)
    {
        lock (_gate)
        {
            value = _value;
            lastSampleMs = _lastMs;
            return _hasValue;
        }
    }

    public void Record(double sample, long nowMs)
    {
        if (!double.IsFinite(sample))
        {
            return;
        }
        lock (_gate)
        {
            if (!_hasValue)
            {
                _value = sample;
            }
            else
            {
                double weight = Math.Exp(-Math.Max(0, nowMs - _lastMs) / DecayMs);
                _value = _value * weight + sample * (1 - weight);
            }
            _lastMs = _hasValue ? Math.Max(_lastMs, nowMs) : nowMs;
            _hasValue = true;
        }
    }
}
