namespace Appliance.Load.Viewers.Counting;

/// <summary>What one chunk stream id remembers between chunks for <see cref="RtmpChunkCounter"/>.</summary>
internal sealed class CountedChunkStream(int id)
{
    public int Id { get; } = id;

    public bool HasHeader;

    /// <summary>Timestamp of the message in progress, or of the last one.</summary>
    public uint Timestamp;

    /// <summary>The timestamp field of the last fmt 0/1/2 header, added again by a fmt-3 chunk that starts a message.</summary>
    public uint Delta;

    /// <summary>The last fmt 0/1/2 header used the extended timestamp, so fmt-3 chunks carry it too.</summary>
    public bool Extended;

    public int Length;
    public byte TypeId;
    public uint StreamId;

    /// <summary>A message has started on this chunk stream and is not complete yet.</summary>
    public bool InMessage;

    public int Received;

    /// <summary>The message in progress is media: counted, only its head kept.</summary>
    public bool IsMedia;

    /// <summary>Video: the first bytes of the message (frame type, codec, the SEI stamp); made on the first video message.</summary>
    public byte[]? Head;

    /// <summary>Control and command messages: the whole payload (bounded by <see cref="RtmpChunkCounter.MaxControlMessageSize"/>).</summary>
    public byte[]? Payload;
}
