namespace Appliance.Live.Rtmp;

/// <summary>
/// Turns RTMP's 32-bit millisecond timestamps into a 64-bit timeline: a step back of more than
/// half the range is a wrap (after ~49.7 days), not a jump backwards.
/// </summary>
internal struct TimestampExtender
{
    private const long Range = 1L << 32;
    private long _last;
    private bool _started;

    public long Extend(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp;
            return _last;
        }
        var epoch = _last & ~(Range - 1);
        var candidate = epoch | timestamp;
        if (candidate < _last - Range / 2)
        {
            candidate += Range;
        }
        else if (candidate > _last + Range / 2 && candidate >= Range)
        {
            candidate -= Range;
        }
        _last = candidate;
        return candidate;
    }
}
