namespace Appliance.Codecs.MpegTs;

/// <summary>
/// The 33-bit, 90 kHz clock of PTS, DTS and the PCR base. Our internal time is 64-bit milliseconds;
/// 1 ms is exactly 90 ticks, so conversion is exact and only wraps.
/// </summary>
public static class TsTimestamp
{
    public const int TicksPerMillisecond = 90;
    public const long Mask = (1L << 33) - 1;

    /// <summary>
    /// Milliseconds to 90 kHz modulo 2^33. Negative and huge inputs wrap as the 33-bit clock would:
    /// the 64-bit product wraps modulo 2^64, of which 2^33 is a divisor, so the low bits stay exact.
    /// </summary>
    public static long FromMilliseconds(long milliseconds) => unchecked(milliseconds * TicksPerMillisecond) & Mask;

    /// <summary>
    /// Writes the five-byte PTS/DTS field (ISO/IEC 13818-1, 2.4.3.7): a 4-bit prefix, then the 33
    /// bits in groups of 3, 15 and 15, each group followed by a marker bit.
    /// </summary>
    internal static void Write(Span<byte> destination, int prefix, long value)
    {
        value &= Mask;
        destination[0] = (byte)((prefix << 4) | (int)((value >> 29) & 0x0E) | 1);
        destination[1] = (byte)(value >> 22);
        destination[2] = (byte)(((value >> 14) & 0xFE) | 1);
        destination[3] = (byte)(value >> 7);
        destination[4] = (byte)(((value << 1) & 0xFE) | 1);
    }

    /// <summary>Reads a five-byte PTS/DTS field; marker bits are not checked, as decoders do not.</summary>
    internal static long Read(ReadOnlySpan<byte> field) =>
        ((long)(field[0] & 0x0E) << 29) | ((long)field[1] << 22) | ((long)(field[2] & 0xFE) << 14)
        | ((long)field[3] << 7) | ((long)field[4] >> 1);
}
