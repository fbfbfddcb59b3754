using System.Buffers.Binary;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// Protocol control and user control messages: complete chunk bytes on chunk stream 2, message
/// stream 0, timestamp 0 (each fits one chunk at the default size). Each writer returns the bytes written.
/// </summary>
public static class RtmpControl
{
    /// <summary>Enough for any message written here.</summary>
    public const int MaxControlLength = 32;

    public const int ControlChunkStreamId = 2;

    /// <summary>Set Peer Bandwidth limit types.</summary>
    public const byte LimitHard = 0, LimitSoft = 1, LimitDynamic = 2;

    private const int HeaderLength = 12;

    public static int WriteSetChunkSize(Span<byte> dest, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, RtmpChunkReader.MaxChunkSize);
        var payload = Header(dest, RtmpMessageType.SetChunkSize, 4);
        BinaryPrimitives.WriteInt32BigEndian(payload, chunkSize);
        return HeaderLength + 4;
    }

    public static int WriteWindowAckSize(Span<byte> dest, uint size)
    {
        var payload = Header(dest, RtmpMessageType.WindowAckSize, 4);
        BinaryPrimitives.WriteUInt32BigEndian(payload, size);
        return HeaderLength + 4;
    }

    public static int WriteSetPeerBandwidth(Span<byte> dest, uint size, byte limitType)
    {
        var payload = Header(dest, RtmpMessageType.SetPeerBandwidth, 5);
        BinaryPrimitives.WriteUInt32BigEndian(payload, size);
        payload[4] = limitType;
        return HeaderLength + 5;
    }

    public static int WriteAcknowledgement(Span<byte> dest, uint sequenceNumber)
    {
        var payload = Header(dest, RtmpMessageType.Acknowledgement, 4);
        BinaryPrimitives.WriteUInt32BigEndian(payload, sequenceNumber);
        return HeaderLength + 4;
    }

    /// <summary>A user control event with one 4-byte value (Stream Begin/EOF/Dry/IsRecorded, Ping).</summary>
    public static int WriteUserControl(Span<byte> dest, ushort eventType, uint value)
    {
        var payload = Header(dest, RtmpMessageType.UserControl, 6);
        BinaryPrimitives.WriteUInt16BigEndian(payload, eventType);
        BinaryPrimitives.WriteUInt32BigEndian(payload[2..], value);
        return HeaderLength + 6;
    }

    /// <summary>Set Buffer Length carries two values: the stream and the buffer in milliseconds.</summary>
    public static int WriteSetBufferLength(Span<byte> dest, uint streamId, uint milliseconds)
    {
        var payload = Header(dest, RtmpMessageType.UserControl, 10);
        BinaryPrimitives.WriteUInt16BigEndian(payload, UserControlEvent.SetBufferLength);
        BinaryPrimitives.WriteUInt32BigEndian(payload[2..], streamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload[6..], milliseconds);
        return HeaderLength + 10;
    }

    public static int WritePingResponse(Span<byte> dest, uint timestamp) =>
        WriteUserControl(dest, UserControlEvent.PingResponse, timestamp);

    /// <summary>
    /// Reads a Set Chunk Size payload, capped at 16 MiB. Throws <see cref="RtmpProtocolException"/> if
    /// it is short, zero or has the reserved top bit set.
    /// </summary>
    public static int ReadSetChunkSize(ReadOnlySpan<byte> payload)
    {
        var value = ReadUInt32(payload, "Set Chunk Size");
        if (value == 0 || value > int.MaxValue)
        {
            RtmpThrowHelper.ThrowProtocol($"Invalid chunk size {value}.");
        }
        // The spec makes every size above 0xFFFFFF equivalent to it (no chunk can be longer than a message).
        return (int)Math.Min(value, (uint)RtmpChunkReader.MaxChunkSize);
    }

    /// <summary>
    /// Reads the 4-byte value of Acknowledgement, Window Acknowledgement Size, Abort or Set Peer
    /// Bandwidth. Throws <see cref="RtmpProtocolException"/> if the payload is short.
    /// </summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> payload, string what)
    {
        if (payload.Length < 4)
        {
            RtmpThrowHelper.ThrowProtocol($"{what} message of {payload.Length} bytes.");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(payload);
    }

    /// <summary>
    /// Reads a user control event and its first value (for Set Buffer Length: the stream id). Throws
    /// <see cref="RtmpProtocolException"/> if the payload is shorter than 6 bytes.
    /// </summary>
    public static ushort ReadUserControl(ReadOnlySpan<byte> payload, out uint value)
    {
        if (payload.Length < 6)
        {
            RtmpThrowHelper.ThrowProtocol($"User control message of {payload.Length} bytes.");
        }
        value = BinaryPrimitives.ReadUInt32BigEndian(payload[2..]);
        return BinaryPrimitives.ReadUInt16BigEndian(payload);
    }

    private static Span<byte> Header(Span<byte> dest, byte typeId, int length)
    {
        // fmt 0 on chunk stream 2: timestamp 0, 3-byte length, type, message stream 0.
        var message = dest[..(HeaderLength + length)];
        message[..HeaderLength].Clear();
        message[0] = ControlChunkStreamId;
        message[6] = (byte)length;
        message[7] = typeId;
        return message[HeaderLength..];
    }
}
