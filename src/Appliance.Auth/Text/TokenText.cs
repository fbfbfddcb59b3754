using System.Buffers;

namespace Appliance.Auth.Text;

/// <summary>Strict, allocation-free parsers for the number and digest fields of tokens.</summary>
internal static class TokenText
{
    /// <summary>Decimal digits only (no sign, no spaces), at most 18 so the value and any sum stay far from overflow.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>UTF-8 decimal digits, as <see cref="TryParseDecimal(ReadOnlySpan{char}, out long)"/>.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }
        foreach (byte c in text)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>Hex digits of either case, at most 15 so the value stays positive.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 15)
        {
            return false;
        }
        foreach (char c in text)
        {
            int digit = HexValue(c);
            if (digit < 0)
            {
                return false;
            }
            value = value << 4 | (uint)digit;
        }
        return true;
    }

    /// <summary>Exactly <c>digest.Length * 2</c> hex digits of either case into <paramref name="digest"/>.</summary>
    public static bool TryParseDigest(ReadOnlySpan<char> hex, Span<byte> digest)
    {
        return hex.Length == digest.Length * 2
            && Convert.FromHexString(hex, digest, out _, out int written) == OperationStatus.Done
            && written == digest.Length;
    }

    /// <summary>UTF-8 hex, as <see cref="TryParseDigest(ReadOnlySpan{char}, Span{byte})"/>.</summary>
    public static bool TryParseDigest(ReadOnlySpan<byte> hex, Span<byte> digest)
    {
        return hex.Length == digest.Length * 2
            && Convert.FromHexString(hex, digest, out _, out int written) == OperationStatus.Done
            && written == digest.Length;
    }

    public static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
