using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>
/// The AES-128 keys of encrypted HLS, derived from the node's secret so that every node sharing it
/// serves the same key for the same stream and segment, as they name segments alike:
/// key = HMAC-SHA256(secret, "appliance-hls-aes128|{domain}/{app}/{name}|" + key index as 8 bytes
/// big-endian), first 16 bytes (domain and app names hold no '/', so the text names one stream).
/// A key covers the segments numbered [index × N, (index + 1) × N); each segment's IV is its
/// number as 128-bit big-endian (the IV RFC 8216 implies without IV=).
/// Keys are never stored, logged or shown; a request derives the one it needs.
/// </summary>
public sealed class HlsKeyring
{
    public const int KeyBytes = 16;
    private const string Label = "appliance-hls-aes128|";
    private const int MaxInputBytes = 1024 - 8;

    private readonly byte[] _secret;

    public HlsKeyring(byte[] secret)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(secret.Length, 16, nameof(secret));
        _secret = secret.ToArray();
    }

    /// <summary>The key of the segments a stream numbers <paramref name="keyIndex"/> × N onwards.</summary>
    /// <param name="stream">The stream as "{domain}/{app}/{name}" (its key's text).</param>
    public void Derive(string stream, long keyIndex, Span<byte> key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyIndex);
        var text = $"{Label}{stream}|";
        var length = Encoding.UTF8.GetByteCount(text) + 8;
        // Names are short in practice; a long one goes to the pool.
        var rented = length > MaxInputBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> input = rented ?? stackalloc byte[MaxInputBytes];
            var written = Encoding.UTF8.GetBytes(text, input);
            BinaryPrimitives.WriteInt64BigEndian(input[written..], keyIndex);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_secret, input[..(written + 8)], mac);
            mac[..KeyBytes].CopyTo(key);
            CryptographicOperations.ZeroMemory(mac);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Which key encrypts segment <paramref name="sequence"/>.</summary>
    public static long KeyIndexOf(long sequence, int rotateEverySegments) => sequence / rotateEverySegments;

    /// <summary>The IV of segment <paramref name="sequence"/>: its number, 128-bit big-endian.</summary>
    public static void IvOf(long sequence, Span<byte> iv)
    {
        iv[..8].Clear();
        BinaryPrimitives.WriteInt64BigEndian(iv[8..16], sequence);
    }

    /// <summary>The key file's name under the stream's directory, as the playlist and the route spell it.</summary>
    public static string KeyFile(long keyIndex) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"key-{keyIndex}.key");

    /// <summary>Parses "key-{index}.key" (canonical digits only: each key has one name).</summary>
    public static bool TryParseKeyFile(ReadOnlySpan<char> file, out long keyIndex)
    {
        keyIndex = 0;
        if (!file.StartsWith("key-") || !file.EndsWith(".key"))
        {
            return false;
        }
        var digits = file[4..^4];
        return digits.Length is > 0 and <= 18 && (digits[0] != '0' || digits.Length == 1) &&
            long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out keyIndex);
    }
}
