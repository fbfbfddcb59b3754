using System.Numerics;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a seed gives the same stream on every machine and .NET
/// version (System.Random promises no such thing), so a fixed-seed pass is reproducible.
/// </summary>
public sealed class Prng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Prng(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>0 to <paramref name="maxExclusive"/> - 1 (0 when the range is empty).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public bool OneIn(int n) => Next(n) == 0;

    public byte NextByte() => (byte)NextUInt64();

    public void Fill(Span<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = NextByte();
        }
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

/// <summary>FNV-1a, for hashes that must not change between runs (string.GetHashCode does).</summary>
public static class Fnv
{
    public const ulong Offset = 0xCBF29CE484222325;
    private const ulong Prime = 0x100000001B3;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong hash = Offset)
    {
        foreach (var b in data)
        {
            hash = (hash ^ b) * Prime;
        }
        return hash;
    }

    public static ulong Hash(string? text, ulong hash = Offset)
    {
        if (text is null)
        {
            return (hash ^ 0xFF) * Prime;
        }
        foreach (var c in text)
        {
            hash = (hash ^ (ulong)(c & 0xFF)) * Prime;
            hash = (hash ^ (ulong)(c >> 8)) * Prime;
        }
        return hash;
    }

    public static ulong Mix(ulong hash, long value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Prime;
        }
        return hash;
    }
}
