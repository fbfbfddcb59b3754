using System.Buffers;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// How a streaming parser gets its bytes: the arrival points (as successive socket reads would
/// deliver them) and multi-segment sequences over them (as a pipe hands them out). Both derive
/// from the input itself, so a saved input replays exactly.
/// </summary>
public static class Pieces
{
    /// <summary>Increasing offsets, the last one the input's length: mostly tiny reads, some large.</summary>
    public static int[] Cuts(ReadOnlySpan<byte> input)
    {
        var rng = new Prng(Fnv.Hash(input) ^ 0x5EED5EED);
        var cuts = new List<int>();
        var at = 0;
        while (at < input.Length)
        {
            var kind = rng.Next(10);
            var step = kind < 5 ? rng.Next(1, 9) : kind < 8 ? rng.Next(9, 200) : rng.Next(200, 4097);
            at = Math.Min(input.Length, at + step);
            cuts.Add(at);
        }
        return [.. cuts];
    }

    /// <summary>data[start..end] as a sequence split at every cut inside it.</summary>
    public static ReadOnlySequence<byte> Sequence(byte[] data, int start, int end, int[] cuts)
    {
        Segment? first = null;
        Segment? last = null;
        var from = start;
        foreach (var cut in cuts)
        {
            if (cut <= from)
            {
                continue;
            }
            var to = Math.Min(cut, end);
            if (to <= from)
            {
                break;
            }
            var memory = new ReadOnlyMemory<byte>(data, from, to - from);
            last = last is null ? (first = new Segment(memory, 0)) : last.Append(memory);
            from = to;
            if (from >= end)
            {
                break;
            }
        }
        if (first is null || last is null)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        return ReferenceEquals(first, last)
            ? new ReadOnlySequence<byte>(first.Memory)
            : new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
