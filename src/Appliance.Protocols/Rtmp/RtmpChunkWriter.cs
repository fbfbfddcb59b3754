using System.Buffers.Binary;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// Writes one message as chunks. The first chunk always has a full (fmt 0) header with the absolute
/// timestamp, so the bytes do not depend on what went before on the connection and one run of
/// chunks can be shared by every subscriber.
/// </summary>
public static class RtmpChunkWriter
{
    public const int MaxMessageLength = 0xFFFFFF;
    private const uint ExtendedTimestampMarker = 0xFFFFFF;

    /// <summary>Upper bound of the bytes <see cref="Write"/> produces, for renting.</summary>
    public static int MaxLength(int payloadLength, int chunkSize, int chunkStreamId = 6)
    {
        ValidateChunkSize(chunkSize);
        var chunks = payloadLength == 0 ? 1 : (payloadLength + chunkSize - 1) / chunkSize;
        // Every chunk: basic header + possible extended timestamp; the first adds the 11-byte header.
        return payloadLength + chunks * (BasicHeaderLength(chunkStreamId) + 4) + 11;
    }

    /// <summary>Writes <paramref name="payload"/> as one message; returns the bytes written.</summary>
    public static int Write(Span<byte> dest, int chunkStreamId, uint timestamp, byte typeId, uint streamId,
        ReadOnlySpan<byte> payload, int chunkSize)
    {
        ValidateChunkSize(chunkSize);
        if (payload.Length > MaxMessageLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "An RTMP message holds at most 16 MiB - 1 bytes.");
        }
        var first = Math.Min(chunkSize, payload.Length);
        var position = WriteFirstHeader(dest, chunkStreamId, timestamp, typeId, streamId, payload.Length);
        payload[..first].CopyTo(dest[position..]);
        position += first;

        for (var sent = first; sent < payload.Length; sent += chunkSize)
        {
            position += WriteContinuationHeader(dest[position..], chunkStreamId, timestamp);
            var piece = Math.Min(chunkSize, payload.Length - sent);
            payload.Slice(sent, piece).CopyTo(dest[position..]);
            position += piece;
        }
        return position;
    }

    /// <summary>True when <paramref name="timestamp"/> does not fit the 24-bit field and goes in the 4-byte extended field of every chunk.</summary>
    public static bool IsExtended(uint timestamp) => timestamp >= ExtendedTimestampMarker;

    /// <summary>The bytes before a message's first chunk of payload: basic header, the fmt 0 header, the extended timestamp if any.</summary>
    public static int FirstHeaderLength(int chunkStreamId, uint timestamp) =>
        BasicHeaderLength(chunkStreamId) + 11 + (IsExtended(timestamp) ? 4 : 0);

    /// <summary>The bytes before each further chunk of a message: a fmt 3 basic header and, with an extended timestamp, the timestamp again.</summary>
    public static int ContinuationHeaderLength(int chunkStreamId, uint timestamp) =>
        BasicHeaderLength(chunkStreamId) + (IsExtended(timestamp) ? 4 : 0);

    /// <summary>Writes the header of a message's first chunk (fmt 0, absolute timestamp); returns its length.</summary>
    public static int WriteFirstHeader(Span<byte> dest, int chunkStreamId, uint timestamp, byte typeId, uint streamId, int payloadLength)
    {
        var extended = IsExtended(timestamp);
        var position = WriteBasicHeader(dest, 0, chunkStreamId);
        var header = dest.Slice(position, 11);
        WriteUInt24(header, extended ? ExtendedTimestampMarker : timestamp);
        WriteUInt24(header[3..], (uint)payloadLength);
        header[6] = typeId;
        BinaryPrimitives.WriteUInt32LittleEndian(header[7..], streamId);
        position += 11;
        if (extended)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest[position..], timestamp);
            position += 4;
        }
        return position;
    }

    /// <summary>Writes the header of a continuation chunk (fmt 3); returns its length.</summary>
    public static int WriteContinuationHeader(Span<byte> dest, int chunkStreamId, uint timestamp)
    {
        var position = WriteBasicHeader(dest, 3, chunkStreamId);
        // The spec and ffmpeg repeat the extended timestamp on every continuation.
        if (IsExtended(timestamp))
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest[position..], timestamp);
            position += 4;
        }
        return position;
    }

    internal static int BasicHeaderLength(int chunkStreamId)
    {
        ValidateChunkStreamId(chunkStreamId);
        return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
    }

    internal static int WriteBasicHeader(Span<byte> dest, int format, int chunkStreamId)
    {
        var length = BasicHeaderLength(chunkStreamId);
        var fmt = (byte)(format << 6);
        switch (length)
        {
            case 1:
                dest[0] = (byte)(fmt | chunkStreamId);
                break;
            case 2:
                dest[1] = (byte)(chunkStreamId - 64);
                dest[0] = fmt;
                break;
            default:
                var id = chunkStreamId - 64;
                dest[2] = (byte)(id >> 8);
                dest[1] = (byte)id;
                dest[0] = (byte)(fmt | 1);
                break;
        }
        return length;
    }

    private static void WriteUInt24(Span<byte> dest, uint value)
    {
        dest[2] = (byte)value;
        dest[1] = (byte)(value >> 8);
        dest[0] = (byte)(value >> 16);
    }

    private static void ValidateChunkSize(int chunkSize)
    {
        if (chunkSize < 1 || chunkSize > RtmpChunkReader.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize));
        }
    }

    private static void ValidateChunkStreamId(int chunkStreamId)
    {
        // 0 and 1 are escape values of the basic header, not ids.
        if (chunkStreamId < 2 || chunkStreamId > 65599)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkStreamId));
        }
    }
}
