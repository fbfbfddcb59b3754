using System.Buffers;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

/// <summary>A message copied out of its shared buffer, so tests can compare and forget releasing.</summary>
internal sealed record ReadMessage(byte TypeId, uint Timestamp, uint StreamId, int ChunkStreamId, byte[] Payload)
{
    public static ReadMessage Take(RtmpMessage message)
    {
        var copy = new ReadMessage(message.TypeId, message.Timestamp, message.StreamId, message.ChunkStreamId,
            message.Payload.Span.ToArray());
        message.Payload.Release();
        return copy;
    }

    /// <summary>Reads every complete message of <paramref name="input"/>; returns them and the bytes consumed.</summary>
    public static List<ReadMessage> All(RtmpChunkReader chunks, ReadOnlySequence<byte> input, out long consumed)
    {
        var messages = new List<ReadMessage>();
        var reader = new SequenceReader<byte>(input);
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            messages.Add(Take(message));
        }
        consumed = reader.Consumed;
        return messages;
    }

    public static List<ReadMessage> All(RtmpChunkReader chunks, byte[] input) =>
        All(chunks, new ReadOnlySequence<byte>(input), out _);

    /// <summary>
    /// Feeds <paramref name="input"/> a few bytes at a time as a growing multi-segment buffer, the way a
    /// pipe delivers it, keeping what the reader left unconsumed.
    /// </summary>
    public static List<ReadMessage> Trickle(RtmpChunkReader chunks, byte[] input, int step, int segmentSize = 1)
    {
        var messages = new List<ReadMessage>();
        var pending = new List<byte>();
        for (var offset = 0; offset < input.Length; offset += step)
        {
            pending.AddRange(input.Skip(offset).Take(step));
            var batch = All(chunks, Segments.Split(pending.ToArray(), segmentSize), out var consumed);
            messages.AddRange(batch);
            pending.RemoveRange(0, (int)consumed);
        }
        Assert.Empty(pending);
        return messages;
    }
}
