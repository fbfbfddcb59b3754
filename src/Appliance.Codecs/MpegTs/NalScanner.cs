using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Finds Annex-B start codes (00 00 01). A video frame is tens of kilobytes with a start code every
/// few kilobytes at most, so the search dominates NAL splitting; the vector paths test 32 (or 16)
/// positions per step by comparing three shifted loads at once.
/// </summary>
public static class NalScanner
{
    /// <summary>The index of the first byte of the first 00 00 01 in <paramref name="data"/>, or -1.</summary>
    public static int IndexOfStartCode(ReadOnlySpan<byte> data)
    {
        if (Vector256.IsHardwareAccelerated && data.Length >= Vector256<byte>.Count + 2)
        {
            return IndexOfStartCodeVector256(data);
        }
        if (Vector128.IsHardwareAccelerated && data.Length >= Vector128<byte>.Count + 2)
        {
            return IndexOfStartCodeVector128(data);
        }
        return IndexOfStartCodeScalar(data);
    }

    /// <summary>The reference path, a byte at a time. Kept for tests and benchmarks.</summary>
    public static int IndexOfStartCodeScalar(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i + 2 < data.Length)
        {
            // Look at the third byte first: above 1 it rules out a start code at i, i+1 and i+2.
            var third = data[i + 2];
            if (third > 1)
            {
                i += 3;
            }
            else if (third == 1)
            {
                if (data[i] == 0 && data[i + 1] == 0)
                {
                    return i;
                }
                i += 3;
            }
            else
            {
                i++;
            }
        }
        return -1;
    }

    /// <summary>The 256-bit path; <paramref name="data"/> must hold at least 34 bytes.</summary>
    public static int IndexOfStartCodeVector256(ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var one = Vector256.Create((byte)1);
        var i = 0;
        // Each step reads bytes i .. i+33, so stop while three full loads still fit.
        for (; i <= data.Length - Vector256<byte>.Count - 2; i += Vector256<byte>.Count)
        {
            var third = Vector256.LoadUnsafe(ref start, (nuint)(i + 2));
            var ones = Vector256.Equals(third, one);
            if (ones == Vector256<byte>.Zero)
            {
                continue;
            }
            var first = Vector256.LoadUnsafe(ref start, (nuint)i);
            var second = Vector256.LoadUnsafe(ref start, (nuint)(i + 1));
            var hits = ones & Vector256.Equals(first | second, Vector256<byte>.Zero);
            if (hits != Vector256<byte>.Zero)
            {
                return i + BitOperations.TrailingZeroCount(hits.ExtractMostSignificantBits());
            }
        }
        return Tail(data, i);
    }

    /// <summary>The 128-bit path; <paramref name="data"/> must hold at least 18 bytes.</summary>
    public static int IndexOfStartCodeVector128(ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var one = Vector128.Create((byte)1);
        var i = 0;
        for (; i <= data.Length - Vector128<byte>.Count - 2; i += Vector128<byte>.Count)
        {
            var third = Vector128.LoadUnsafe(ref start, (nuint)(i + 2));
            var ones = Vector128.Equals(third, one);
            if (ones == Vector128<byte>.Zero)
            {
                continue;
            }
            var first = Vector128.LoadUnsafe(ref start, (nuint)i);
            var second = Vector128.LoadUnsafe(ref start, (nuint)(i + 1));
            var hits = ones & Vector128.Equals(first | second, Vector128<byte>.Zero);
            if (hits != Vector128<byte>.Zero)
            {
                return i + BitOperations.TrailingZeroCount(hits.ExtractMostSignificantBits());
            }
        }
        return Tail(data, i);
    }

    private static int Tail(ReadOnlySpan<byte> data, int from)
    {
        var found = IndexOfStartCodeScalar(data[from..]);
        return found < 0 ? -1 : from + found;
    }
}
