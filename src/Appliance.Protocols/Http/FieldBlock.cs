namespace Appliance.Protocols.Http;

/// <summary>
/// The header section shared by requests and responses: field lines up to the blank line.
/// Scanning validates every complete line without allocating, so a head that is still arriving
/// costs no garbage, and a bad line is rejected as soon as it is complete.
/// </summary>
internal static class FieldBlock
{
    /// <summary>
    /// Walks field lines from <paramref name="start"/>. <paramref name="maxBytes"/> bounds the
    /// whole block including the final CRLF; <paramref name="maxCount"/> bounds the number of lines.
    /// On Complete, <paramref name="end"/> is the offset just past the blank line.
    /// </summary>
    public static FieldBlockScan Scan(ReadOnlySpan<byte> buffer, int start, int maxBytes, int maxCount, out int end)
    {
        end = 0;
        int pos = start;
        int count = 0;
        while (true)
        {
            int budget = maxBytes - (pos - start);
            int available = buffer.Length - pos;
            // Search no further than the budget: a hostile peer may have buffered megabytes.
            int lf = budget <= 0 ? -1 : buffer.Slice(pos, Math.Min(available, budget)).IndexOf((byte)'\n');
            if (lf < 0)
            {
                return available >= budget ? FieldBlockScan.TooLarge : FieldBlockScan.Incomplete;
            }
            // Bare LF is refused: lenient line endings are a request-smuggling vector.
            if (lf == 0 || buffer[pos + lf - 1] != (byte)'\r')
            {
                return FieldBlockScan.Malformed;
            }
            if (lf == 1)
            {
                end = pos + 2;
                return FieldBlockScan.Complete;
            }
            if (++count > maxCount)
            {
                return FieldBlockScan.TooLarge;
            }
            if (!IsValidLine(buffer.Slice(pos, lf - 1)))
            {
                return FieldBlockScan.Malformed;
            }
            pos += lf + 1;
        }
    }

    /// <summary>
    /// field-line = field-name ":" OWS field-value OWS. A name that is not a pure token covers
    /// whitespace before the colon and obs-fold (a line starting with SP/HTAB), both refused by RFC 9112.
    /// </summary>
    public static bool IsValidLine(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAnyExcept(HttpCharacters.Token) >= 0)
        {
            return false;
        }
        return line[(colon + 1)..].IndexOfAny(HttpCharacters.InvalidFieldValue) < 0;
    }

    /// <summary>Splits a line already accepted by <see cref="IsValidLine"/>; the value is OWS-trimmed.</summary>
    public static void Split(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int colon = line.IndexOf((byte)':');
        name = line[..colon];
        value = HttpCharacters.TrimOws(line[(colon + 1)..]);
    }
}
