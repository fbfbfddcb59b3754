using System.Buffers;
using System.Text;

namespace Appliance.Protocols.Tests.Http;

/// <summary>Builds multi-segment sequences, the shape a pipe hands over when data arrives in pieces.</summary>
internal static class TestSequences
{
    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Cuts <paramref name="data"/> at the given offsets (ascending) into one segment per piece.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var pieces = new List<byte[]>();
        int start = 0;
        foreach (int cut in cuts)
        {
            pieces.Add(data[start..cut]);
            start = cut;
        }
        pieces.Add(data[start..]);
        return FromPieces(pieces);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var pieces = new List<byte[]>(data.Length);
        foreach (byte b in data)
        {
            pieces.Add([b]);
        }
        return FromPieces(pieces);
    }

    public static ReadOnlySequence<byte> FromPieces(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(pieces[0], 0);
        var last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
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
