namespace Appliance.Protocols.Http;

/// <summary>
/// The framing of a chunked response body (RFC 9112 §7.1), for a body sent as it is produced (an
/// LL-DASH segment, part by part): each chunk is "{size in hex}\r\n", its bytes and "\r\n"; the
/// body ends with the zero-size chunk and an empty trailer. The bytes themselves are sent apart
/// (by reference, or with sendfile), so only the framing is written here.
/// </summary>
public static class ChunkedEncoding
{
    /// <summary>The longest <see cref="WriteSeparator"/> writes: CRLF, 16 hex digits, CRLF.</summary>
    public const int MaxSeparatorLength = 2 + 16 + 2;

    /// <summary>The header a chunked response carries (instead of a Content-Length).</summary>
    public static KeyValuePair<string, string> Header { get; } = new("Transfer-Encoding", "chunked");

    /// <summary>Ends the last chunk (if any) and the body: the zero-size chunk and an empty trailer.</summary>
    public static ReadOnlySpan<byte> End => "\r\n0\r\n\r\n"u8;

    /// <summary>Ends the body when no chunk was sent.</summary>
    public static ReadOnlySpan<byte> EmptyEnd => "0\r\n\r\n"u8;

    /// <summary>
    /// Writes what goes before a chunk of <paramref name="length"/> bytes: the previous chunk's
    /// CRLF (unless <paramref name="first"/>), then the size line. Returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length that is not positive: a zero-size chunk would end the body.</exception>
    public static int WriteSeparator(Span<byte> destination, long length, bool first)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var digits = (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)length) + 3) / 4;
        var size = (first ? 0 : 2) + digits + 2;
        if (destination.Length < size)
        {
            throw new ArgumentException("The destination is too small for a chunk separator.", nameof(destination));
        }
        var at = 0;
        if (!first)
        {
            destination[at++] = (byte)'\r';
            destination[at++] = (byte)'\n';
        }
        var value = (ulong)length;
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[at + i] = "0123456789abcdef"u8[(int)(value & 0xF)];
            value >>= 4;
        }
        at += digits;
        destination[at++] = (byte)'\r';
        destination[at++] = (byte)'\n';
        return at;
    }
}
