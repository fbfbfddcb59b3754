using System.Buffers.Binary;

namespace Appliance.Codecs.MpegTs;

/// <summary>Writes and parses the PES packet header (ISO/IEC 13818-1, 2.4.3.6) with PTS and DTS.</summary>
public static class PesHeader
{
    public const byte VideoStreamId = 0xE0;
    public const byte AudioStreamId = 0xC0;

    /// <summary>Start code prefix, stream id, length, two flag bytes, header length, PTS and DTS.</summary>
    public const int MaxLength = 19;

    /// <summary>The fixed part: start code prefix (3), stream_id, PES_packet_length, two flag bytes, PES_header_data_length.</summary>
    public const int FixedLength = 9;

    private const int PtsOnly = 0x2;
    private const int PtsAndDts = 0x3;
    private const int DtsPrefix = 0x1;
    /// <summary>The largest PES_packet_length: the bytes after the length field.</summary>
    public const int MaxPacketLength = ushort.MaxValue;

    /// <summary>The header length for a frame: DTS is written only when it differs from PTS.</summary>
    public static int Length(long pts, long dts) => ((pts ^ dts) & TsTimestamp.Mask) == 0 ? 14 : MaxLength;

    /// <summary>
    /// Writes the header and returns its length. <paramref name="payloadLength"/> null writes a
    /// PES_packet_length of 0 ("unbounded"), which only video streams may use and which spares
    /// video frames the 64 KB limit; otherwise it is the exact length of what follows the header.
    /// Timestamps are 90 kHz and taken modulo 2^33.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bounded length does not fit in 16 bits.</exception>
    public static int Write(Span<byte> destination, byte streamId, long pts, long dts, int? payloadLength)
    {
        var length = Length(pts, dts);
        var packetLength = 0;
        if (payloadLength is { } bounded)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bounded);
            packetLength = length - 6 + bounded;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(packetLength, MaxPacketLength, nameof(payloadLength));
        }
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = 1;
        destination[3] = streamId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)packetLength);
        // '10' marker, not scrambled, no priority, no alignment claim, no copyright, copy.
        destination[6] = 0x80;
        var hasDts = length == MaxLength;
        destination[7] = (byte)((hasDts ? PtsAndDts : PtsOnly) << 6);
        destination[8] = (byte)(length - FixedLength);
        TsTimestamp.Write(destination[9..], hasDts ? PtsAndDts : PtsOnly, pts);
        if (hasDts)
        {
            TsTimestamp.Write(destination[14..], DtsPrefix, dts);
        }
        return length;
    }

    /// <summary>
    /// Parses the header at the start of a reassembled PES packet. False when the start code prefix
    /// is missing, the stream has no optional header (padding, private_stream_2 and the like), the
    /// '10' marker is absent, PTS_DTS_flags is the forbidden '01', or the header runs past the data.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> pes, out PesHeaderInfo info)
    {
        info = default;
        if (pes.Length < FixedLength || pes[0] != 0 || pes[1] != 0 || pes[2] != 1)
        {
            return false;
        }
        var streamId = pes[3];
        if (streamId is 0xBC or 0xBE or 0xBF or 0xF0 or 0xF1 or 0xF2 or 0xF8 or 0xFF || (pes[6] & 0xC0) != 0x80)
        {
            return false;
        }
        var flags = pes[7] >> 6;
        var headerLength = FixedLength + pes[8];
        if (flags == DtsPrefix || headerLength > pes.Length)
        {
            return false;
        }
        long pts = -1;
        long dts = -1;
        if (flags == PtsOnly || flags == PtsAndDts)
        {
            if (pes[8] < (flags == PtsAndDts ? 10 : 5))
            {
                return false;
            }
            pts = TsTimestamp.Read(pes[9..]);
            dts = flags == PtsAndDts ? TsTimestamp.Read(pes[14..]) : pts;
        }
        info = new PesHeaderInfo(streamId, BinaryPrimitives.ReadUInt16BigEndian(pes[4..]), headerLength, pts, dts);
        return true;
    }
}
