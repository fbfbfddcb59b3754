using System.Buffers;
using System.Buffers.Binary;

namespace Appliance.Benchmarks.Protocols;

/// <summary>
/// Builds the chunk stream an encoder like ffmpeg sends for a run of video messages: a type-0 header
/// for the first message, type-1 headers (timestamp delta, length, type) for the rest, type-3
/// headers on continuations. The reader under test sees the same header mix as in production.
/// </summary>
internal static class RtmpChunkStreamBuilder
{
    public const int VideoChunkStream = 6;
    public const byte VideoType = 9;
    public const uint FrameDurationMs = 40;

    /// <summary>Message i is about <paramref name="meanSize"/> bytes, varying a little like real frames.</summary>
    public static byte[] VideoMessages(int count, int meanSize, int chunkSize)
    {
        var output = new ArrayBufferWriter<byte>(count * (meanSize + meanSize / chunkSize + 64));
        for (var i = 0; i < count; i++)
        {
            var size = meanSize - 1024 + i * 397 % 2048;
            WriteMessage(output, i == 0, (uint)i * FrameDurationMs, size, chunkSize, keyFrame: i % 50 == 0);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Cuts <paramref name="bytes"/> into linked segments, as a socket pipe delivers them.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentSize)
        {
            var memory = bytes.AsMemory(offset, Math.Min(segmentSize, bytes.Length - offset));
            var segment = new Segment(memory, offset);
            first ??= segment;
            last?.SetNext(segment);
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static void WriteMessage(ArrayBufferWriter<byte> output, bool first, uint timestamp, int size, int chunkSize, bool keyFrame)
    {
        var header = output.GetSpan(12);
        header[0] = (byte)((first ? 0 : 1) << 6 | VideoChunkStream);
        WriteUInt24(header[1..], first ? timestamp : FrameDurationMs);
        WriteUInt24(header[4..], (uint)size);
        header[7] = VideoType;
        var headerLength = 8;
        if (first)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 1);
            headerLength = 12;
        }
        output.Advance(headerLength);

        for (var sent = 0; sent < size; sent += chunkSize)
        {
            if (sent > 0)
            {
                output.GetSpan(1)[0] = 3 << 6 | VideoChunkStream;
                output.Advance(1);
            }
            var piece = Math.Min(chunkSize, size - sent);
            var body = output.GetSpan(piece)[..piece];
            body.Fill(0x5A);
            if (sent == 0)
            {
                // An AVC NALU tag header, so the payload looks like what a server would classify.
                body[0] = keyFrame ? (byte)0x17 : (byte)0x27;
                body[1] = 1;
            }
            output.Advance(piece);
        }
    }

    private static void WriteUInt24(Span<byte> dest, uint value)
    {
        dest[0] = (byte)(value >> 16);
        dest[1] = (byte)(value >> 8);
        dest[2] = (byte)value;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
