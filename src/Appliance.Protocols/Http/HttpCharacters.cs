using System.Buffers;

namespace Appliance.Protocols.Http;

/// <summary>
/// Character classes from RFC 9110/9112 as vectorised <see cref="SearchValues{T}"/>, so that
/// validating a line is one <c>IndexOfAnyExcept</c> call instead of a per-byte loop.
/// </summary>
internal static class HttpCharacters
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    public static readonly SearchValues<byte> Token = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // Bytes that may not appear in a field value: controls other than HTAB, and DEL.
    // obs-text (0x80-0xFF) is allowed by the grammar and kept byte-for-byte (Latin-1).
    public static readonly SearchValues<byte> InvalidFieldValue = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
        0x7F,
    ]);

    // reg-name / IP-literal / port: unreserved, sub-delims, ':', '[', ']', and '%' for pct-encoded.
    // Anything else in Host (a '/', '@', '?', space...) is a confusion attempt.
    public static readonly SearchValues<byte> HostChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:[]%"u8);

    public static bool IsHex(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 5;

    public static int HexValue(byte b) => (uint)(b - '0') <= 9 ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>RFC 9110 OWS: strips leading and trailing SP/HTAB.</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);
}
