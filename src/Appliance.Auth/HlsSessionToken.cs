using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Appliance.Streaming.Streams;

namespace Appliance.Auth;

/// <summary>
/// A short-lived token the node signs itself and writes into the segment URLs of a playlist it
/// served to an authorized player: players do not carry a playlist's query over to segments, and
/// schemes that hash the path cannot sign segments they have not seen. It binds the stream and an
/// expiry: `{expiry hex}-{HMAC-SHA256(secret, domain/app/name|expiry) first 16 bytes, hex}`.
/// </summary>
public sealed class HlsSessionToken
{
    public const string ParameterName = "hls_session";
    private const int MacBytes = 16;
    private const int MaxKeyBytes = 1024 - 8;

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public HlsSessionToken(byte[]? secret, TimeProvider time)
    {
        _secret = secret is { Length: >= 16 } ? secret : RandomNumberGenerator.GetBytes(32);
        _time = time;
    }

    public string Issue(StreamKey key, int lifetimeSeconds)
    {
        var expiry = _time.GetUtcNow().ToUnixTimeSeconds() + lifetimeSeconds;
        Span<byte> mac = stackalloc byte[32];
        Sign(key, expiry, mac);
        return $"{expiry:x}-{Convert.ToHexStringLower(mac[..MacBytes])}";
    }

    /// <summary>True for an unexpired token this node (or one sharing its secret) issued for <paramref name="key"/>.</summary>
    public bool IsValid(string? token, StreamKey key)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }
        var dash = token.IndexOf('-');
        if (dash <= 0 || dash > 16 || token.Length - dash - 1 != MacBytes * 2 ||
            !long.TryParse(token.AsSpan(0, dash), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var expiry) ||
            expiry < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        Span<byte> given = stackalloc byte[MacBytes];
        if (Convert.FromHexString(token.AsSpan(dash + 1), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacBytes)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        Sign(key, expiry, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected[..MacBytes]);
    }

    private void Sign(StreamKey key, long expiry, Span<byte> mac)
    {
        var text = $"{key.Domain}/{key.App}/{key.Name}|";
        var length = Encoding.UTF8.GetByteCount(text) + 8;
        // Keys are short in practice; a long one (names are bounded, but not by this class) goes to the pool.
        var rented = length > MaxKeyBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> input = rented ?? stackalloc byte[MaxKeyBytes];
            var written = Encoding.UTF8.GetBytes(text, input);
            BinaryPrimitives.WriteInt64BigEndian(input[written..], expiry);
            HMACSHA256.HashData(_secret, input[..(written + 8)], mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
