using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Appliance.Protocols.Http;

/// <summary>
/// Turns a raw origin-form path into the string routes are matched against: percent-decoded as
/// UTF-8, dot segments removed (RFC 3986 §5.2.4). Refuses what could confuse a router, a log or a
/// header it is echoed into: invalid escapes, decoded control bytes (including NUL), and invalid UTF-8.
/// An encoded slash stays "%2F", as in Kestrel, so "a%2Fb" is one segment and cannot become two.
/// </summary>
internal static class PathDecoder
{
    private const int StackLimit = 512;

    /// <summary>True when the path needs neither decoding nor dot-segment removal.</summary>
    public static bool IsPlain(ReadOnlySpan<byte> rawPath) =>
        rawPath.IndexOf((byte)'%') < 0 && rawPath.IndexOf("/."u8) < 0;

    /// <param name="rawPath">Visible ASCII starting with '/', as validated by the request-line parser.</param>
    public static bool TryDecode(ReadOnlySpan<byte> rawPath, out string path)
    {
        if (IsPlain(rawPath))
        {
            path = Encoding.ASCII.GetString(rawPath);
            return true;
        }

        // Decoding only shrinks, so the raw length bounds the buffer.
        byte[]? rented = null;
        Span<byte> buffer = rawPath.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(rawPath.Length));
        try
        {
            int length = Unescape(rawPath, buffer);
            if (length < 0 || !Utf8.IsValid(buffer[..length]))
            {
                path = "";
                return false;
            }
            length = RemoveDotSegments(buffer[..length]);
            path = Encoding.UTF8.GetString(buffer[..length]);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <returns>Bytes written, or -1 for an invalid escape or a decoded control byte.</returns>
    private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> dest)
    {
        int written = 0;
        int i = 0;
        while (i < raw.Length)
        {
            int percent = raw[i..].IndexOf((byte)'%');
            if (percent < 0)
            {
                raw[i..].CopyTo(dest[written..]);
                return written + raw.Length - i;
            }
            raw.Slice(i, percent).CopyTo(dest[written..]);
            written += percent;
            i += percent;
            if (i + 2 >= raw.Length || !HttpCharacters.IsHex(raw[i + 1]) || !HttpCharacters.IsHex(raw[i + 2]))
            {
                return -1;
            }
            byte value = (byte)(HttpCharacters.HexValue(raw[i + 1]) << 4 | HttpCharacters.HexValue(raw[i + 2]));
            if (value < 0x20 || value == 0x7F)
            {
                return -1;
            }
            if (value == (byte)'/')
            {
                raw.Slice(i, 3).CopyTo(dest[written..]);
                written += 3;
            }
            else
            {
                dest[written++] = value;
            }
            i += 3;
        }
        return written;
    }

    /// <summary>In place; the output never outruns the input, so overlapping copies are safe.</summary>
    /// <returns>The new length.</returns>
    internal static int RemoveDotSegments(Span<byte> path)
    {
        if (path.IndexOf("/."u8) < 0)
        {
            return path.Length;
        }
        int read = 0;
        int write = 0;
        while (read < path.Length)
        {
            // path[read] is '/'; the segment runs to the next '/' or the end.
            int segmentStart = read + 1;
            int next = path[segmentStart..].IndexOf((byte)'/');
            int segmentEnd = next < 0 ? path.Length : segmentStart + next;
            bool last = segmentEnd == path.Length;
            var segment = path[segmentStart..segmentEnd];

            if (segment.SequenceEqual("."u8))
            {
                if (last)
                {
                    path[write++] = (byte)'/';
                }
            }
            else if (segment.SequenceEqual(".."u8))
            {
                int parent = path[..write].LastIndexOf((byte)'/');
                write = parent < 0 ? 0 : parent;
                if (last)
                {
                    path[write++] = (byte)'/';
                }
            }
            else
            {
                path[write++] = (byte)'/';
                segment.CopyTo(path[write..]);
                write += segment.Length;
            }
            read = segmentEnd;
        }
        if (write == 0)
        {
            path[write++] = (byte)'/';
        }
        return write;
    }
}
