namespace Appliance.Protocols.Http;

/// <summary>
/// Content-Length = 1*DIGIT. A list ("5, 5") or a repeated header is accepted only when every
/// value agrees (RFC 9110 §8.6); disagreement is the classic request-smuggling shape.
/// </summary>
internal static class ContentLengthParser
{
    // 18 digits cannot overflow a long, so the accumulation below needs no checked arithmetic.
    private const int MaxDigits = 18;

    /// <summary>Folds <paramref name="value"/> into <paramref name="current"/>; false when malformed or conflicting.</summary>
    public static bool TryMerge(ReadOnlySpan<byte> value, ref long? current)
    {
        bool any = false;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            var element = HttpCharacters.TrimOws(comma < 0 ? value : value[..comma]);
            if (!TryParseDigits(element, out long length) || (current is long known && known != length))
            {
                return false;
            }
            current = length;
            any = true;
            if (comma < 0)
            {
                return any;
            }
            value = value[(comma + 1)..];
        }
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > MaxDigits || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        foreach (byte digit in digits)
        {
            value = value * 10 + (digit - '0');
        }
        return true;
    }
}
