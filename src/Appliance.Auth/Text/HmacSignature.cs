using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Auth.Text;

/// <summary>
/// Checks an HMAC-SHA256 signature, in constant time, over head + label + middle + tail: EdgeAuth URL
/// mode signs the token's own fields with "~url={path}" spliced in, and the path is text.
/// </summary>
internal static class HmacSignature
{
    public const int Bytes = 32;

    private const int StackBytes = 512;

    public static bool Matches(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> expected,
        ReadOnlySpan<byte> head,
        ReadOnlySpan<byte> label = default,
        ReadOnlySpan<char> middle = default,
        ReadOnlySpan<byte> tail = default)
    {
        Span<byte> digest = stackalloc byte[Bytes];
        if (label.IsEmpty && middle.IsEmpty && tail.IsEmpty)
        {
            HMACSHA256.HashData(key, head, digest);
            return CryptographicOperations.FixedTimeEquals(digest, expected);
        }
        int max = head.Length + label.Length + Encoding.UTF8.GetMaxByteCount(middle.Length) + tail.Length;
        byte[]? rented = null;
        Span<byte> input = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            head.CopyTo(input);
            int length = head.Length;
            label.CopyTo(input[length..]);
            length += label.Length;
            length += Encoding.UTF8.GetBytes(middle, input[length..]);
            tail.CopyTo(input[length..]);
            length += tail.Length;
            HMACSHA256.HashData(key, input[..length], digest);
            return CryptographicOperations.FixedTimeEquals(digest, expected);
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
