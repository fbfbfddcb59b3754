namespace Appliance.Live.Relay.Routing;

/// <summary>
/// The arithmetic shared by <see cref="PeakEwma"/> and <see cref="Ewma"/>, without a lock of its own,
/// so <see cref="CandidateHealth"/> can keep four of them under one lock and read them all with a
/// single acquisition.
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
