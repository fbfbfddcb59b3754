namespace Appliance.Streaming.Ingest;

/// <summary>
/// Turns RTMP's 32-bit millisecond timestamps into a 64-bit timeline: a step back of more than
/// half the range is a wrap (after ~49.7 days), not a jump backwards.
/// </summary>
internal struct TimestampExtender
{
    private const long Range = 1L << 32;
    private long _last;
    private bool _started;

    /// <summary>
    /// Takes <paramref name="referenceMs"/> as where the timeline is before the first stamp (a
    /// parent node's 64-bit media time), so 32-bit stamps that wrapped at the parent extend into its
    /// epoch rather than starting again near 0. A negative reference changes nothing.
    /// </summary>
    public void StartNear(long referenceMs)
    {
        if (referenceMs >= 0)
        {
            _last = referenceMs;
            _started = true;
        }
    }

    /// <summary>The 64-bit time of <paramref name="timestamp"/>, which becomes the reference for the next.</summary>
    public long Extend(uint timestamp)
    {
        var extended = Peek(timestamp);
        _started = true;
        _last = extended;
        return extended;
    }

    /// <summary>
    /// The 64-bit time nearest the reference, without moving it: for headers and script data,
    /// whose stamps (often 0 whatever the stream's age) must not drag the clock into another epoch.
    /// </summary>
    public readonly long Peek(uint timestamp)
    {
        if (!_started)
        {
            return timestamp;
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
        return candidate;
    }
}
