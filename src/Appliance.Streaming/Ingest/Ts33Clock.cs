using Appliance.Codecs.MpegTs;

namespace Appliance.Streaming.Ingest;

/// <summary>
/// Extends MPEG-TS 33-bit 90 kHz timestamps to 64 bits: each one is taken as the nearest value to
/// the previous (a step of up to half the range, 13 h, either way), so the clock carries on across
/// the wrap every 26.5 hours. Audio and video go through one clock, so both stay in one epoch.
/// </summary>
internal struct Ts33Clock
{
    private const long Range = TsTimestamp.Mask + 1;
    private long _last;
    private bool _started;

    /// <summary>Takes <paramref name="ticks"/> (64-bit, 90 kHz) as where the clock is before the first stamp; a negative one changes nothing.</summary>
    public void StartNear(long ticks)
    {
        if (ticks >= 0)
        {
            _last = ticks;
            _started = true;
        }
    }

    public long Extend(long timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp & TsTimestamp.Mask;
            return _last;
        }
        _last += Delta(_last, timestamp);
        return _last;
    }

    /// <summary>The signed distance from <paramref name="from"/> to <paramref name="to"/> on the 33-bit circle.</summary>
    public static long Delta(long from, long to)
    {
        var delta = (to - from) & TsTimestamp.Mask;
        return delta >= Range / 2 ? delta - Range : delta;
    }
}
