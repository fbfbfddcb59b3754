namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>A track's bit rates and frame rate, measured over the segments its playlist lists.</summary>
internal readonly record struct CmafRates(long PeakBitsPerSecond, long AverageBitsPerSecond, int FrameRateNumerator, int FrameRateDenominator)
{
    // Rates encoders use, as exact fractions: a measured rate within 0.5% of one is taken to be the nearest.
    private static readonly (int Numerator, int Denominator)[] KnownRates =
        [(24000, 1001), (24, 1), (25, 1), (30000, 1001), (30, 1), (48, 1), (50, 1), (60000, 1001), (60, 1), (15, 1), (12, 1), (10, 1)];

    /// <summary>Over the listed segments of <paramref name="window"/> (the segment in progress when none is complete yet).</summary>
    public static CmafRates Measure(CmafWindow window, CmafTrack track)
    {
        long bytes = 0, durationMs = 0, samples = 0, peak = 0;
        var segments = window.Segments;
        for (var i = window.FirstListedIndex; i < segments.Length; i++)
        {
            var segment = segments[i];
            bytes += segment.File.Length;
            durationMs += segment.DurationMs;
            samples += segment.Samples;
            peak = Math.Max(peak, BitsPerSecond(segment.File.Length, segment.DurationMs));
        }
        if (durationMs == 0)
        {
            foreach (var part in track.Parts)
            {
                bytes += part.Length;
                durationMs += part.DurationMs;
                samples += part.Samples;
            }
            peak = BitsPerSecond(bytes, durationMs);
        }
        var (numerator, denominator) = FrameRate(samples, durationMs);
        return new CmafRates(Math.Max(peak, 1), Math.Max(BitsPerSecond(bytes, durationMs), 1), numerator, denominator);
    }

    /// <summary>Frames per second as a fraction: a known rate when the measure is that close to one, else thousandths.</summary>
    public static (int Numerator, int Denominator) FrameRate(long frames, long durationMs)
    {
        if (frames <= 0 || durationMs <= 0)
        {
            return (0, 1);
        }
        var measured = frames * 1000.0 / durationMs;
        (int, int)? closest = null;
        var closestError = 0.005;
        foreach (var (numerator, denominator) in KnownRates)
        {
            // The nearest within 0.5%: 30 and 29.97 are only 0.1% apart.
            var error = Math.Abs(measured - ((double)numerator / denominator)) / measured;
            if (error <= closestError)
            {
                closest = (numerator, denominator);
                closestError = error;
            }
        }
        if (closest is { } known)
        {
            return known;
        }
        var thousandths = (int)Math.Round(measured * 1000);
        var divisor = Gcd(thousandths, 1000);
        return (thousandths / divisor, 1000 / divisor);
    }

    private static long BitsPerSecond(long bytes, long durationMs) => durationMs > 0 ? bytes * 8 * 1000 / durationMs : 0;

    private static int Gcd(int a, int b) => b == 0 ? Math.Max(a, 1) : Gcd(b, a % b);
}
