namespace Appliance.Live.Relay.Routing;

/// <summary>
/// A plain time-weighted moving average, <c>value = value·w + sample·(1 − w)</c> with
/// <c>w = exp(−Δt / decay)</c>: for rates such as throughput, where one low second is noise and
/// a sustained drop is news. Times are monotonic milliseconds passed in. Thread-safe.
/// </summary>
public sealed class Ewma
{
    private readonly Lock _gate = new();
    private EwmaState _state;

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
            value = _state.Value;
            lastSampleMs = _state.LastMs;
            return _state.HasValue;
        }
    }

    public void Record(double sample, long nowMs)
    {
        lock (_gate)
        {
            _state.Record(sample, nowMs, DecayMs, peak: false);
        }
    }
}
