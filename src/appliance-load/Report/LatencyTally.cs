using Appliance.Load.Viewers;

namespace Appliance.Load.Report;

/// <summary>Glass-to-glass latency of a set of viewers that read the publisher's stamps.</summary>
internal sealed class LatencyTally
{
    /// <summary>Viewers that read stamps (every viewer of a run that reads them) and those that got at least one.</summary>
    public int Viewers { get; private init; }

    public int ViewersWithSamples { get; private init; }

    /// <summary>All samples of all viewers: p50, p99, max.</summary>
    public Percentiles All { get; private init; }

    /// <summary>The samples of all viewers from 5 s after each one's first: live frames, the join burst left out.</summary>
    public Percentiles Steady { get; private init; }

    /// <summary>Each viewer's own p50, p99 and max, as percentiles over the viewers.</summary>
    public Percentiles ViewerP50 { get; private init; }

    public Percentiles ViewerP99 { get; private init; }

    public Percentiles ViewerMax { get; private init; }

    /// <summary>The trend: each viewer's mean latency over its first 5 s of samples, and over its last 5 s.</summary>
    public Percentiles First5s { get; private init; }

    public Percentiles Last5s { get; private init; }

    public long NotIncreasing { get; private init; }

    public long FromTheFuture { get; private init; }

    /// <summary>Null when none of the viewers reads stamps.</summary>
    public static LatencyTally? Of(IEnumerable<ViewerStats> viewers)
    {
        var all = new LatencyHistogram();
        var steady = new LatencyHistogram();
        List<double> p50 = [], p99 = [], max = [], first = [], last = [];
        int count = 0, withSamples = 0;
        long notIncreasing = 0, future = 0;
        foreach (var viewer in viewers)
        {
            if (viewer.Latency is not { } latency)
            {
                continue;
            }
            count++;
            if (latency.Samples == 0)
            {
                continue;
            }
            withSamples++;
            all.Merge(latency.Histogram);
            steady.Merge(latency.Steady);
            p50.Add(latency.Histogram.PercentileMs(50));
            p99.Add(latency.Histogram.PercentileMs(99));
            max.Add(latency.Histogram.MaxMs);
            first.Add(latency.First5sMeanMs);
            last.Add(latency.Last5sMeanMs);
            notIncreasing += latency.NotIncreasing;
            future += latency.FromTheFuture;
        }
        return count == 0 ? null : new LatencyTally
        {
            Viewers = count,
            ViewersWithSamples = withSamples,
            All = all.ToPercentiles(),
            Steady = steady.ToPercentiles(),
            ViewerP50 = Percentiles.Of(p50),
            ViewerP99 = Percentiles.Of(p99),
            ViewerMax = Percentiles.Of(max),
            First5s = Percentiles.Of(first),
            Last5s = Percentiles.Of(last),
            NotIncreasing = notIncreasing,
            FromTheFuture = future,
        };
    }
}
