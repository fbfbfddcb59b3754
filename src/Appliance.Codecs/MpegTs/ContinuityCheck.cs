namespace Appliance.Codecs.MpegTs;

/// <summary>The continuity_counter rule of ISO/IEC 13818-1, 2.4.3.3, per PID.</summary>
internal static class ContinuityCheck
{
    public enum Result
    {
        Ok,

        /// <summary>The same counter again: a legal single retransmission, to be skipped.</summary>
        Duplicate,

        /// <summary>Packets were lost (or reordered).</summary>
        Gap,
    }

    /// <summary>
    /// Checks <paramref name="counter"/> against the PID's last one and records it. The counter
    /// advances only on packets with payload; a signalled discontinuity or the first packet seen
    /// accepts any value.
    /// </summary>
    public static Result Check(ref int last, int counter, bool hasPayload, bool discontinuity)
    {
        if (!hasPayload)
        {
            return Result.Ok;
        }
        var previous = last;
        last = counter;
        if (previous < 0 || discontinuity)
        {
            return Result.Ok;
        }
        if (counter == previous)
        {
            return Result.Duplicate;
        }
        return counter == ((previous + 1) & 0x0F) ? Result.Ok : Result.Gap;
    }
}
