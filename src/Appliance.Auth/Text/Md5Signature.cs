using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Auth.Text;

/// <summary>
/// Checks an MD5 signature over the UTF-8 of up to five concatenated parts, in constant time.
/// Parts rather than one string so the schemes never build the signed text on the heap.
/// </summary>
internal static class Md5Signature
{
    public const int Bytes = 16;

    // Typical inputs (a path, a token and a key) fit; longer ones borrow from the pool.
    private const int StackBytes = 512;

    public static bool Matches(
        ReadOnlySpan<byte> expected,
        ReadOnlySpan<char> a,
        ReadOnlySpan<char> b,
        ReadOnlySpan<char> c,
        ReadOnlySpan<char> d = default,
        ReadOnlySpan<char> e = default)
    {
        int max = Encoding.UTF8.GetMaxByteCount(a.Length + b.Length + c.Length + d.Length + e.Length);
        byte[]? rented = null;
        Span<byte> input = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = Encoding.UTF8.GetBytes(a, input);
            length += Encoding.UTF8.GetBytes(b, input[length..]);
            length += Encoding.UTF8.GetBytes(c, input[length..]);
            length += Encoding.UTF8.GetBytes(d, input[length..]);
            length += Encoding.UTF8.GetBytes(e, input[length..]);
            Span<byte> digest = stackalloc byte[Bytes];
            MD5.HashData(input[..length], digest);
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
