namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>RTMP and FLV carry 32-bit millisecond stamps; a player follows them across the wrap.</summary>
public static class WrappedTimestamp
{
    /// <summary>The 64-bit time of <paramref name="timestamp"/>: the one nearest <paramref name="last"/> (negative: none yet).</summary>
    public static long Extend(long last, uint timestamp)
    {
        const long Range = 1L << 32;
        if (last < 0)
        {
            return timestamp;
        }
        var candidate = (last & ~(Range - 1)) | timestamp;
        if (candidate < last - Range / 2)
        {
            candidate += Range;
        }
        else if (candidate > last + Range / 2 && candidate >= Range)
        {
            candidate -= Range;
        }
        return candidate;
    }
}
