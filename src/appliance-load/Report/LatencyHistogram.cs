namespace Appliance.Load.Report;

/// <summary>
/// Durations in eighth-octave buckets (each 9% wider than the last) from 1 µs to about 134 s:
/// a viewer's memory stays the same however long the run, and histograms merge for the totals.
/// Percentiles come out as the bucket's geometric middle, so within about ±4.5%; the maximum is
/// exact.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int StepsPerOctave = 8;
    private const int Buckets = StepsPerOctave * 27;

    private readonly int[] _counts = new int[Buckets];

    public long Count { get; private set; }

    public double MaxMs { get; private set; }

    public void Add(double ms)
    {
        var us = Math.Max(ms * 1000, 1);
        var bucket = Math.Clamp((int)(Math.Log2(us) * StepsPerOctave), 0, Buckets - 1);
        _counts[bucket]++;
        Count++;
        MaxMs = Math.Max(MaxMs, ms);
    }

    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        MaxMs = Math.Max(MaxMs, other.MaxMs);
    }

    /// <summary>Nearest rank, like <see cref="Percentiles"/>; NaN when empty.</summary>
    public double PercentileMs(double percent)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Count));
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Math.Pow(2, (i + 0.5) / StepsPerOctave) / 1000, MaxMs);
            }
        }
        return MaxMs;
    }

    public Percentiles ToPercentiles() =>
        Count == 0 ? Percentiles.Of([]) : new Percentiles((int)Math.Min(Count, int.MaxValue), PercentileMs(50), PercentileMs(99), MaxMs);
}
