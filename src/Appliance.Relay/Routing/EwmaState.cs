namespace Appliance.Relay.Routing;

/// <summary>
/// A time-weighted moving average, <c>value = value·w + sample·(1 − w)</c> with
/// <c>w = exp(−Δt / decay)</c> and Δt the time since the previous sample (monotonic ms passed in,
/// which keeps it deterministic under test). As a peak average (latency) a sample above the value
/// replaces it at once, so a spike counts immediately and is forgotten only over about
/// <c>decay</c>; as a plain one (throughput, carry) one low second is noise and a sustained drop
/// news. No lock of its own: <see cref="CandidateHealth"/> keeps four of them under one lock and
/// reads them all with a single acquisition.
/// </summary>
internal struct EwmaState
{
    public double Value;
    public long LastMs;
    public bool HasValue;

    /// <param name="peak">Whether a sample above the value replaces it at once rather than being averaged in.</param>
    public void Record(double sample, long nowMs, double decayMs, bool peak)
    {
        if (!double.IsFinite(sample))
        {
            return;
        }
        if (!HasValue || (peak && sample >= Value))
        {
            Value = sample;
        }
        else
        {
            // Threads may record with slightly older readings of the clock; that is no time passing, not negative time.
            double weight = Math.Exp(-Math.Max(0, nowMs - LastMs) / decayMs);
            Value = Value * weight + sample * (1 - weight);
        }
        LastMs = HasValue ? Math.Max(LastMs, nowMs) : nowMs;
        HasValue = true;
    }
}
