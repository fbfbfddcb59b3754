using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Tests.Counting;

/// <summary>Builds an incoming RTMP chunk stream by hand, chunk by chunk, as a server would send it.</summary>
internal sealed class RtmpBytes
{
    private readonly List<byte> _bytes = [];

    public int ChunkSize { get; private set; } = 128;

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A whole message, chunked at the current chunk size (fmt 0, then fmt 3 continuations).</summary>
    public RtmpBytes Message(int chunkStreamId, uint timestamp, byte typeId, uint streamId, byte[] payload)
    {
        var buffer = new byte[RtmpChunkWriter.MaxLength(payload.Length, ChunkSize, chunkStreamId)];
        var written = RtmpChunkWriter.Write(buffer, chunkStreamId, timestamp, typeId, streamId, payload, ChunkSize);
        _bytes.AddRange(buffer[..written]);
        return this;
    }

    /// <summary>Set Chunk Size on chunk stream 2 (itself chunked at the size before it); what follows is chunked at <paramref name="size"/>.</summary>
    public RtmpBytes SetChunkSize(int size)
    {
        Message(2, 0, RtmpMessageType.SetChunkSize, 0, [(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]);
        ChunkSize = size;
        return this;
    }

    /// <summary>Chunks what follows at <paramref name="chunkSize"/>, which the reader already uses (nothing is sent).</summary>
    public RtmpBytes At(int chunkSize)
    {
        ChunkSize = chunkSize;
        return this;
    }

    public RtmpBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A legacy AVC video payload: key or inter frame, sequence header or coded frame, then filler.</summary>
    public static byte[] Video(bool key, bool sequenceHeader, int length)
    {
        var payload = new byte[length];
        payload[0] = (byte)(key ? 0x17 : 0x27);
        payload[1] = (byte)(sequenceHeader ? 0 : 1);
        for (var i = 5; i < length; i++)
        {
            payload[i] = (byte)i;
        }
        return payload;
    }

    public static byte[] Audio(int length)
    {
        var payload = new byte[length];
        payload[0] = 0xAF;
        payload[1] = 1;
        return payload;
    }
}
