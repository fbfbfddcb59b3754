using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Range: bytes=... (RFC 9110 §14.2) for one representation of known length. Only a single range is
/// honoured: "a-b", "a-" or "-n". Whatever the server may ignore is ignored (another unit, a malformed
/// or reversed range, several ranges), so the client gets the whole body with 200, which every client
/// handles. Numbers saturate instead of overflowing: a position beyond any length is just past the end.
/// </summary>
public static class ByteRangeParser
{
    // A single range is at most "bytes=" and two 19-digit numbers; anything much longer is a list
    // or padding, read here only when it fits this bound and otherwise ignored unread.
    private const int MaxFieldChars = 1024;

    public static ByteRangeOutcome Evaluate(string? fieldValue, long length, out ByteRange range)
    {
        range = default;
        if (fieldValue is null || fieldValue.Length > MaxFieldChars)
        {
            return ByteRangeOutcome.Ignore;
        }
        // Field values are kept as Latin-1, one char per byte, so this is the bytes as received.
        Span<byte> bytes = stackalloc byte[MaxFieldChars];
        int written = Encoding.Latin1.GetBytes(fieldValue, bytes);
        return Evaluate(bytes[..written], length, out range);
    }

    public static ByteRangeOutcome Evaluate(ReadOnlySpan<byte> fieldValue, long length, out ByteRange range)
    {
        range = default;
        if (length <= 0 || !TryGetSingleSpec(HttpCharacters.TrimOws(fieldValue), out var spec))
        {
            return ByteRangeOutcome.Ignore;
        }
        int dash = spec.IndexOf((byte)'-');
        if (dash < 0)
        {
            return ByteRangeOutcome.Ignore;
        }
        var firstText = spec[..dash];
        var lastText = spec[(dash + 1)..];
        if (firstText.IsEmpty)
        {
            // suffix-range: the last n bytes, or all of them when n is larger than the body.
            if (!TryParsePosition(lastText, out long suffix))
            {
                return ByteRangeOutcome.Ignore;
            }
            if (suffix == 0)
            {
                return ByteRangeOutcome.Unsatisfiable;
            }
            range = new ByteRange(length - Math.Min(suffix, length), length - 1);
            return ByteRangeOutcome.Satisfiable;
        }
        if (!TryParsePosition(firstText, out long first))
        {
            return ByteRangeOutcome.Ignore;
        }
        long last = long.MaxValue;
        if (!lastText.IsEmpty && !TryParsePosition(lastText, out last))
        {
            return ByteRangeOutcome.Ignore;
        }
        if (last < first)
        {
            // An invalid range-spec: ignored rather than refused (RFC 9110 §14.2 allows either).
            return ByteRangeOutcome.Ignore;
        }
        if (first >= length)
        {
            return ByteRangeOutcome.Unsatisfiable;
        }
        range = new ByteRange(first, Math.Min(last, length - 1));
        return ByteRangeOutcome.Satisfiable;
    }

    /// <summary>"bytes" "=" then exactly one non-empty list element (empty elements are allowed around it).</summary>
    private static bool TryGetSingleSpec(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> spec)
    {
        spec = default;
        int equals = value.IndexOf((byte)'=');
        if (equals < 0 || !Ascii.EqualsIgnoreCase(value[..equals], "bytes"u8))
        {
            return false;
        }
        var list = value[(equals + 1)..];
        bool found = false;
        foreach (var element in list.Split((byte)','))
        {
            var item = HttpCharacters.TrimOws(list[element]);
            if (item.IsEmpty)
            {
                continue;
            }
            if (found)
            {
                // Several ranges would need multipart/byteranges; the whole body is the simple answer.
                return false;
            }
            spec = item;
            found = true;
        }
        return found;
    }

    /// <summary>1*DIGIT, saturating at long.MaxValue: "99999999999999999999999" is a real, if unreachable, position.</summary>
    private static bool TryParsePosition(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        foreach (byte digit in digits)
        {
            int d = digit - '0';
            value = value > (long.MaxValue - d) / 10 ? long.MaxValue : value * 10 + d;
        }
        return true;
    }
}
