using System.Buffers;
using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Decodes one name or value of application/x-www-form-urlencoded data the way browsers'
/// URLSearchParams do: '+' is a space, %xx a byte of UTF-8, an invalid escape is kept literally,
/// and invalid UTF-8 becomes U+FFFD. Tokens are opaque, so decoding is lenient rather than refusing.
/// </summary>
internal static class QueryComponent
{
    private const int StackLimit = 256;

    public static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('%', '+') < 0)
        {
            return new string(encoded);
        }
        // A UTF-16 unit never needs more than 3 UTF-8 bytes.
        int capacity = encoded.Length * 3;
        byte[]? rented = null;
        Span<byte> buffer = capacity <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            int length = Unescape(encoded, buffer);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Compares without allocating when the name needs no decoding, which is nearly always.</summary>
    public static bool NameEquals(ReadOnlySpan<char> encoded, string name)
    {
        return encoded.IndexOfAny('%', '+') < 0
            ? encoded.SequenceEqual(name)
            : Decode(encoded) == name;
    }

    private static int Unescape(ReadOnlySpan<char> encoded, Span<byte> dest)
    {
        int written = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '+')
            {
                dest[written++] = (byte)' ';
            }
            else if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                dest[written++] = (byte)(HttpCharacters.HexValue((byte)encoded[i + 1]) << 4 | HttpCharacters.HexValue((byte)encoded[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                dest[written++] = (byte)c;
            }
            else
            {
                // Only a caller-built query has non-ASCII; keep it as its UTF-8.
                Rune.DecodeFromUtf16(encoded[i..], out var rune, out int used);
                written += rune.EncodeToUtf8(dest[written..]);
                i += used - 1;
            }
        }
        return written;
    }
}
