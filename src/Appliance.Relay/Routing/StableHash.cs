using System.Text;

namespace Appliance.Relay.Routing;

/// <summary>
/// Hashes that every node computes alike, unlike <see cref="string.GetHashCode()"/> (randomized per
/// process): FNV-1a 64 over the UTF-8 bytes of the text (lone surrogates as U+FFFD, as
/// <see cref="Encoding.UTF8"/> writes them), and the MurmurHash3 64-bit finalizer to spread FNV's
/// weakly mixed bits before they decide anything. Changing either reshuffles which upstream every
/// stream is pulled from on every node, so both are fixed by tests.
/// </summary>
internal static class StableHash
{
    public const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Fnv1a64(string text) => Append(FnvOffset, text);

    /// <summary>Continues an FNV-1a 64 hash over more text, so a key's parts hash as if joined, without joining them.</summary>
    public static ulong Append(ulong hash, ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                hash = (hash ^ c) * FnvPrime;
                continue;
            }
            Rune.DecodeFromUtf16(text[i..], out var rune, out int used);
            int length = rune.EncodeToUtf8(utf8);
            for (int b = 0; b < length; b++)
            {
                hash = (hash ^ utf8[b]) * FnvPrime;
            }
            i += used - 1;
        }
        return hash;
    }

    /// <summary>MurmurHash3's fmix64: every input bit flips each output bit with probability about one half.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdUL;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53UL;
        value ^= value >> 33;
        return value;
    }
}
