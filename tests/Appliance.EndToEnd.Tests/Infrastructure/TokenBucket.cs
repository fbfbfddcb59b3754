namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A token bucket in its virtual-scheduling form (GCRA): each send pushes a theoretical time
/// forward by size / rate, and a send waits for whatever of that lies further ahead than the burst
/// allowance. Thread-safe, so connections can share one as a common bottleneck.
/// </summary>
internal sealed class TokenBucket
{
    /// <summary>What may go at once after idling: 20 ms worth at the current rate.</summary>
    public const double BurstSeconds = 0.02;

    private readonly Lock _gate = new();
    private double _theoreticalSeconds = double.NegativeInfinity;

    /// <summary>Reserves <paramref name="bytes"/> at <paramref name="rate"/> and returns how long to wait before sending them.</summary>
    public TimeSpan Reserve(int bytes, long rate, double nowSeconds)
    {
        lock (_gate)
        {
            double start = Math.Max(_theoreticalSeconds, nowSeconds);
            _theoreticalSeconds = start + bytes / (double)rate;
            double wait = _theoreticalSeconds - nowSeconds - BurstSeconds;
            return wait > 0 ? TimeSpan.FromSeconds(wait) : TimeSpan.Zero;
        }
    }
}
