using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

/// <summary>What a chunk stream id remembers between chunks: the last header and a partial message.</summary>
internal sealed class RtmpChunkStream
{
    public RtmpChunkStream(int id) => Id = id;

    public int Id { get; }

    public bool HasHeader;

    /// <summary>Timestamp of the message in progress, or of the last one.</summary>
    public uint Timestamp;

    /// <summary>
    /// The timestamp field of the last fmt 0/1/2 header (its extended value if it had one). A fmt-3
    /// chunk that starts a message adds it again; like ffmpeg and SRS, a fmt-0 field counts too,
    /// which is what ffmpeg's writer relies on when it drops to fmt 3.
    /// </summary>
    public uint Delta;

    /// <summary>The last fmt 0/1/2 header used the extended timestamp, so fmt-3 chunks carry it too.</summary>
    public bool Extended;

    public int Length;
    public byte TypeId;
    public uint StreamId;

    /// <summary>The message being assembled; null between messages.</summary>
    public SharedBuffer? Payload;

    public int Received;
}
