namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Moves an already packetized PES to another time. Everything that carries time is in the PES's
/// first TS packet: the PCR in its adaptation field and the PTS/DTS in the PES header (at most 19
/// bytes, which the first packet always holds whole, however much stuffing precedes it). So a copy
/// of that one packet with new times, followed by the other packets unchanged, is the same frame
/// at another time, with the same continuity counters.
/// </summary>
public static class TsPesRestamp
{
    private const int PcrFlag = 0x10;
    private const int PtsOnly = 0x2;
    private const int PtsAndDts = 0x3;

    /// <summary>
    /// The offset of the first packet of <paramref name="packets"/> that starts a PES (payload unit
    /// start with a 00 00 01 start code, which a PSI section never begins with), or -1.
    /// </summary>
    public static int FindPesStart(ReadOnlySpan<byte> packets)
    {
        for (var offset = 0; offset + TsPacket.Size <= packets.Length; offset += TsPacket.Size)
        {
            var packet = packets.Slice(offset, TsPacket.Size);
            if (PayloadOffset(packet) is var payload and >= 0 && (packet[1] & 0x40) != 0 && payload + 3 <= TsPacket.Size
                && packet[payload] == 0 && packet[payload + 1] == 0 && packet[payload + 2] == 1)
            {
                return offset;
            }
        }
        return -1;
    }

    /// <summary>
    /// Rewrites, in the first packet of a PES, the PCR (when the packet has one) to
    /// <paramref name="dts90"/>, as the muxer stamps it, and the PES header's PTS and DTS (the DTS
    /// only where the header has one: its length does not change). 90 kHz values, taken modulo
    /// 2^33. False, with the packet untouched, when it does not start a PES with a PTS.
    /// </summary>
    public static bool TryRestamp(Span<byte> packet, long pts90, long dts90)
    {
        var payload = PayloadOffset(packet);
        if (payload < 0 || (packet[1] & 0x40) == 0 || payload + PesHeader.FixedLength > TsPacket.Size
            || packet[payload] != 0 || packet[payload + 1] != 0 || packet[payload + 2] != 1)
        {
            return false;
        }
        var flags = packet[payload + 7] >> 6;
        var needed = flags == PtsAndDts ? PesHeader.MaxLength : PesHeader.FixedLength + 5;
        if (flags is not (PtsOnly or PtsAndDts) || payload + needed > TsPacket.Size)
        {
            return false;
        }
        if (HasPcr(packet))
        {
            WritePcr(packet[6..], dts90);
        }
        TsTimestamp.Write(packet[(payload + 9)..], flags, pts90);
        if (flags == PtsAndDts)
        {
            TsTimestamp.Write(packet[(payload + 14)..], 0x1, dts90);
        }
        return true;
    }

    /// <summary>Where the packet's payload starts, or -1 when it has none or is malformed.</summary>
    private static int PayloadOffset(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < TsPacket.Size || packet[0] != TsPacket.SyncByte)
        {
            return -1;
        }
        var control = (packet[3] >> 4) & 0x3;
        if ((control & 0x1) == 0)
        {
            return -1;
        }
        if ((control & 0x2) == 0)
        {
            return TsPacket.HeaderLength;
        }
        var offset = TsPacket.HeaderLength + 1 + packet[TsPacket.HeaderLength];
        return offset < TsPacket.Size ? offset : -1;
    }

    private static bool HasPcr(ReadOnlySpan<byte> packet) =>
        ((packet[3] >> 4) & 0x2) != 0 && packet[TsPacket.HeaderLength] >= 7 && (packet[5] & PcrFlag) != 0;

    /// <summary>The six PCR bytes: 33-bit base, 6 reserved bits, a 9-bit extension of 0 (our clock is the 90 kHz one).</summary>
    internal static void WritePcr(Span<byte> field, long base90)
    {
        var pcr = base90 & TsTimestamp.Mask;
        field[0] = (byte)(pcr >> 25);
        field[1] = (byte)(pcr >> 17);
        field[2] = (byte)(pcr >> 9);
        field[3] = (byte)(pcr >> 1);
        field[4] = (byte)(((pcr & 1) << 7) | 0x7E);
        field[5] = 0;
    }
}
