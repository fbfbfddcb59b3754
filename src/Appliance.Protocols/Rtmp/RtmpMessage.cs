using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// One reassembled RTMP message. <see cref="Payload"/> holds one reference owned by the receiver,
/// who must <see cref="SharedBuffer.Release"/> it; <c>Payload.Length</c> is the message length.
/// </summary>
public struct RtmpMessage
{
    public byte TypeId;
    public uint Timestamp;
    public uint StreamId;
    public int ChunkStreamId;
    public SharedBuffer Payload;
}
