using System.Buffers.Binary;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// Deterministic byte-level mutations (given the <see cref="Prng"/>): bit flips, bytes and words
/// set to interesting values, length fields inflated or shrunk, arithmetic, random insertions,
/// deletions, duplications, truncation, splicing with other corpus inputs and dictionary tokens.
/// Each call stacks 1, 2, 4 or 8 of them.
/// </summary>
public sealed class Mutator(Prng rng, IReadOnlyList<byte[]> dictionary, int maxLength)
{
    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x3F, 0x40, 0xC0, 0xFE, 0x10, 0x20, 0x47, 0x09, 0x0A, 0x0D];

    private static readonly uint[] InterestingWords =
    [
        0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
        1536, 4096, 65535, 65536, 16 * 1024 * 1024,
    ];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var count = 1 << rng.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(data, corpus);
            if (data.Count > maxLength)
            {
                data.RemoveRange(maxLength, data.Count - maxLength);
            }
        }
        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (rng.Next(16))
        {
            case 0:
            case 1:
                FlipBits(data);
                break;
            case 2:
                SetByte(data, InterestingBytes[rng.Next(InterestingBytes.Length)]);
                break;
            case 3:
                SetWord(data, InterestingWords[rng.Next(InterestingWords.Length)]);
                break;
            case 4:
            case 5:
                InflateLength(data);
                break;
            case 6:
                AddToByte(data);
                break;
            case 7:
                SetByte(data, rng.NextByte());
                break;
            case 8:
                InsertRandom(data);
                break;
            case 9:
                DeleteChunk(data);
                break;
            case 10:
                DuplicateChunk(data);
                break;
            case 11:
                CopyChunk(data);
                break;
            case 12:
                Truncate(data);
                break;
            case 13:
                Splice(data, corpus);
                break;
            case 14:
                InsertFromOther(data, corpus);
                break;
            default:
                InsertToken(data);
                break;
        }
    }

    private int Position(List<byte> data) => rng.Next(data.Count);

    private void FlipBits(List<byte> data)
    {
        if (data.Count == 0)
        {
            return;
        }
        var bits = rng.Next(1, 5);
        for (var i = 0; i < bits; i++)
        {
            var at = Position(data);
            data[at] ^= (byte)(1 << rng.Next(8));
        }
    }

    private void SetByte(List<byte> data, byte value)
    {
        if (data.Count > 0)
        {
            data[Position(data)] = value;
        }
    }

    private void AddToByte(List<byte> data)
    {
        if (data.Count > 0)
        {
            var at = Position(data);
            var delta = rng.Next(1, 36);
            data[at] = (byte)(rng.OneIn(2) ? data[at] + delta : data[at] - delta);
        }
    }

    private void SetWord(List<byte> data, uint value)
    {
        var width = rng.Pick<int>([2, 3, 4]);
        if (data.Count < width)
        {
            return;
        }
        var at = rng.Next(data.Count - width + 1);
        Span<byte> bytes = stackalloc byte[4];
        if (rng.OneIn(4))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            bytes = bytes[..width];
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            bytes = bytes[(4 - width)..];
        }
        for (var i = 0; i < width; i++)
        {
            data[at + i] = bytes[i];
        }
    }

    // Reads 1-4 bytes as a big-endian number (most length fields here are) and makes it wrong:
    // a little or a lot larger, smaller, zero, the maximum, or the input's own length.
    private void InflateLength(List<byte> data)
    {
        var width = rng.Next(1, 5);
        if (data.Count < width)
        {
            return;
        }
        var at = rng.Next(data.Count - width + 1);
        ulong value = 0;
        for (var i = 0; i < width; i++)
        {
            value = (value << 8) | data[at + i];
        }
        var max = width == 4 ? uint.MaxValue : (1UL << (8 * width)) - 1;
        value = rng.Next(9) switch
        {
            0 => value + 1,
            1 => value - 1,
            2 => value * 2,
            3 => value + (ulong)rng.Next(1, 4097),
            4 => 0,
            5 => max,
            6 => max / 2 + 1,
            7 => (ulong)data.Count + (ulong)rng.Next(0, 16),
            _ => value - (ulong)rng.Next(1, 17),
        };
        value &= max;
        for (var i = width - 1; i >= 0; i--)
        {
            data[at + i] = (byte)value;
            value >>= 8;
        }
    }

    private void InsertRandom(List<byte> data)
    {
        var length = rng.OneIn(4) ? rng.Next(1, 257) : rng.Next(1, 17);
        var bytes = new byte[length];
        if (rng.OneIn(2))
        {
            rng.Fill(bytes);
        }
        else
        {
            Array.Fill(bytes, rng.Pick(InterestingBytes));
        }
        data.InsertRange(rng.Next(data.Count + 1), bytes);
    }

    private (int Start, int Length) Chunk(List<byte> data)
    {
        if (data.Count == 0)
        {
            return (0, 0);
        }
        var start = Position(data);
        var longest = data.Count - start;
        var length = rng.OneIn(3) ? rng.Next(1, longest + 1) : Math.Min(longest, rng.Next(1, 33));
        return (start, length);
    }

    private void DeleteChunk(List<byte> data)
    {
        var (start, length) = Chunk(data);
        data.RemoveRange(start, length);
    }

    private void DuplicateChunk(List<byte> data)
    {
        var (start, length) = Chunk(data);
        if (length == 0)
        {
            return;
        }
        var chunk = data.GetRange(start, length);
        var times = rng.OneIn(4) ? rng.Next(2, 17) : 1;
        for (var i = 0; i < times && data.Count + length <= maxLength; i++)
        {
            data.InsertRange(start, chunk);
        }
    }

    private void CopyChunk(List<byte> data)
    {
        var (start, length) = Chunk(data);
        if (length == 0)
        {
            return;
        }
        var chunk = data.GetRange(start, length);
        var to = rng.Next(data.Count - length + 1);
        for (var i = 0; i < length; i++)
        {
            data[to + i] = chunk[i];
        }
    }

    private void Truncate(List<byte> data)
    {
        if (data.Count > 0)
        {
            var keep = rng.Next(data.Count);
            data.RemoveRange(keep, data.Count - keep);
        }
    }

    // The head of this input and the tail of another: a valid prefix leading into other valid data.
    private void Splice(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        if (corpus.Count == 0)
        {
            InsertRandom(data);
            return;
        }
        var other = rng.Pick(corpus);
        if (other.Length == 0)
        {
            return;
        }
        var keep = rng.Next(data.Count + 1);
        var from = rng.Next(other.Length);
        data.RemoveRange(keep, data.Count - keep);
        data.AddRange(other.AsSpan(from).ToArray());
    }

    private void InsertFromOther(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        if (corpus.Count == 0)
        {
            InsertRandom(data);
            return;
        }
        var other = rng.Pick(corpus);
        if (other.Length == 0)
        {
            return;
        }
        var from = rng.Next(other.Length);
        var length = Math.Min(other.Length - from, rng.OneIn(3) ? rng.Next(1, other.Length + 1) : rng.Next(1, 65));
        data.InsertRange(rng.Next(data.Count + 1), other.AsSpan(from, length).ToArray());
    }

    private void InsertToken(List<byte> data)
    {
        if (dictionary.Count == 0)
        {
            InsertRandom(data);
            return;
        }
        var token = rng.Pick(dictionary);
        var at = rng.Next(data.Count + 1);
        if (rng.OneIn(2) && at + token.Length <= data.Count)
        {
            for (var i = 0; i < token.Length; i++)
            {
                data[at + i] = token[i];
            }
        }
        else
        {
            data.InsertRange(at, token);
        }
    }
}
