namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Rewrites a length-prefixed (AVCC/HVCC) sample as an Annex-B byte stream: each length prefix
/// becomes a four-byte start code 00 00 00 01 (legal before any NAL unit, and it keeps the output
/// the size of the input when prefixes are four bytes). NAL bodies need no change: they already
/// carry their emulation-prevention bytes.
/// </summary>
public static class AvccToAnnexB
{
    public const int StartCodeLength = 4;

    /// <summary>The Annex-B length of <paramref name="avcc"/>, or -1 when its lengths are malformed.</summary>
    public static int Measure(ReadOnlySpan<byte> avcc, int lengthSize)
    {
        var reader = new AvccNalReader(avcc, lengthSize);
        long total = 0;
        while (reader.TryReadNext(out var nal))
        {
            total += StartCodeLength + nal.Length;
        }
        return reader.Failed || total > int.MaxValue ? -1 : (int)total;
    }

    /// <summary>
    /// Writes the Annex-B form; returns the bytes written, or -1 (nothing useful written) when the
    /// lengths are malformed. The bodies are copied by the runtime's memmove, which is already
    /// vectorised (AVX2/AVX-512 where present) and beats a hand-written vector loop.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Measure"/>.</exception>
    public static int Convert(ReadOnlySpan<byte> avcc, int lengthSize, Span<byte> destination)
    {
        var reader = new AvccNalReader(avcc, lengthSize);
        var written = 0;
        while (reader.TryReadNext(out var nal))
        {
            EnsureRoom(destination, written, nal.Length);
            WriteStartCode(destination[written..]);
            nal.CopyTo(destination[(written + StartCodeLength)..]);
            written += StartCodeLength + nal.Length;
        }
        return reader.Failed ? -1 : written;
    }

    /// <summary>The reference path, copying a byte at a time. Kept for tests and benchmarks.</summary>
    public static int ConvertScalar(ReadOnlySpan<byte> avcc, int lengthSize, Span<byte> destination)
    {
        var reader = new AvccNalReader(avcc, lengthSize);
        var written = 0;
        while (reader.TryReadNext(out var nal))
        {
            EnsureRoom(destination, written, nal.Length);
            WriteStartCode(destination[written..]);
            written += StartCodeLength;
            for (var i = 0; i < nal.Length; i++)
            {
                destination[written + i] = nal[i];
            }
            written += nal.Length;
        }
        return reader.Failed ? -1 : written;
    }

    internal static void WriteStartCode(Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = 0;
        destination[3] = 1;
    }

    private static void EnsureRoom(Span<byte> destination, int written, int nalLength)
    {
        if (destination.Length - written < StartCodeLength + nalLength)
        {
            throw new ArgumentException("The destination is shorter than the Annex-B output.", nameof(destination));
        }
    }
}
