using System.Net;

namespace Appliance.Auth.Access;

/// <summary>
/// Addresses as raw bytes, so matching never allocates. An IPv4-mapped IPv6 address (what a
/// dual-stack socket reports for an IPv4 client) counts as the IPv4 address it carries.
/// </summary>
internal static class IpBytes
{
    public const int MaxBytes = 16;

    /// <summary>Writes 4 bytes for IPv4 (mapped or not) or 16 for IPv6; returns how many.</summary>
    public static int Write(IPAddress address, Span<byte> destination)
    {
        if (!address.TryWriteBytes(destination, out int written))
        {
            return 0;
        }
        if (written == 16 && IsV4Mapped(destination))
        {
            destination.Slice(12, 4).CopyTo(destination);
            return 4;
        }
        return written;
    }

    /// <summary>Whether the ASCII address text (from a token) names the same address as <paramref name="address"/>.</summary>
    public static bool TextEquals(ReadOnlySpan<byte> text, IPAddress address)
    {
        Span<byte> actual = stackalloc byte[MaxBytes];
        int length = Write(address, actual);
        Span<byte> claimed = stackalloc byte[4];
        if (TryParseV4(text, claimed))
        {
            return length == 4 && claimed.SequenceEqual(actual[..4]);
        }
        if (text.IsEmpty || text.Length > 64 || length != 16)
        {
            return false;
        }
        // IPv6: the usual canonical text compares without allocating; other spellings take a real parse.
        Span<char> chars = stackalloc char[64];
        for (int i = 0; i < text.Length; i++)
        {
            chars[i] = (char)text[i];
        }
        var claimedText = chars[..text.Length];
        Span<char> formatted = stackalloc char[64];
        if (address.TryFormat(formatted, out int formattedLength)
            && claimedText.Equals(formatted[..formattedLength], StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(claimedText, out var parsed) && SameV6(parsed, actual);
    }

    /// <summary>Dotted quad, each part 0-255 in at most three digits.</summary>
    public static bool TryParseV4(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        int part = 0;
        int value = 0;
        int digits = 0;
        foreach (byte c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || part == 3)
                {
                    return false;
                }
                destination[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else if (c is >= (byte)'0' and <= (byte)'9' && digits < 3)
            {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || part != 3)
        {
            return false;
        }
        destination[3] = (byte)value;
        return true;
    }

    private static bool SameV6(IPAddress parsed, ReadOnlySpan<byte> actual)
    {
        Span<byte> bytes = stackalloc byte[MaxBytes];
        return parsed.TryWriteBytes(bytes, out int written) && written == 16 && bytes.SequenceEqual(actual);
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> bytes) =>
        bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xFF && bytes[11] == 0xFF;
}
