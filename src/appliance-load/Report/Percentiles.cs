namespace Appliance.Load.Report;

/// <summary>p50 and p99 (nearest rank) of a set of millisecond values; NaN when the set is empty.</summary>
internal readonly record struct Percentiles(int Count, double P50, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN);
        }
        values.Sort();
        return new Percentiles(values.Count, Rank(values, 50), Rank(values, 99), values[^1]);
    }

    private static double Rank(List<double> sorted, double percent)
    {
        var index = (int)Math.Ceiling(percent / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
