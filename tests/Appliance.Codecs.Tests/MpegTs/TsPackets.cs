using System.Buffers.Binary;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Hand-built TS packets for demuxer tests: PSI with computed CRCs, and one-packet PES.</summary>
internal static class TsPackets
{
    public static byte[] Concat(params byte[][] packets) => packets.SelectMany(p => p).ToArray();

    public static byte[] Pat(int pmtPid = TsMuxer.PmtPid, int counter = 0, bool current = true)
    {
        var body = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(body, 1);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)(0xE000 | pmtPid));
        return Psi(TsPacket.PatPid, counter, Section(0x00, 1, body, current));
    }

    public static byte[] Pmt(int pcrPid, (int Type, int Pid)[] streams, int pmtPid = TsMuxer.PmtPid, int counter = 0)
    {
        var body = new List<byte> { (byte)(0xE0 | (pcrPid >> 8)), (byte)pcrPid, 0xF0, 0x00 };
        foreach (var (type, pid) in streams)
        {
            body.AddRange([(byte)type, (byte)(0xE0 | (pid >> 8)), (byte)pid, 0xF0, 0x00]);
        }
        var section = Section(0x02, 1, [.. body]);
        if (section.Length <= 183)
        {
            return Psi(pmtPid, counter, section);
        }
        // Split across two packets: the first carries the pointer and the start.
        var first = Psi(pmtPid, counter, section.AsSpan(0, 183).ToArray());
        var second = Packet(pmtPid, counter + 1, unitStart: false, section.AsSpan(183).ToArray());
        return Concat(first, second);
    }

    /// <summary>A complete PSI section (table_id to CRC) from its body after last_section_number.</summary>
    public static byte[] Section(int tableId, int idExtension, byte[] body, bool current = true)
    {
        var sectionLength = 5 + body.Length + 4;
        var section = new byte[3 + sectionLength];
        section[0] = (byte)tableId;
        BinaryPrimitives.WriteUInt16BigEndian(section.AsSpan(1), (ushort)(0xB000 | sectionLength));
        BinaryPrimitives.WriteUInt16BigEndian(section.AsSpan(3), (ushort)idExtension);
        section[5] = (byte)(current ? 0xC1 : 0xC0);
        body.CopyTo(section, 8);
        BinaryPrimitives.WriteUInt32BigEndian(section.AsSpan(section.Length - 4), Crc32Mpeg2.Compute(section.AsSpan(0, section.Length - 4)));
        return section;
    }

    /// <summary>A unit-start packet carrying a zero pointer_field and the section bytes.</summary>
    public static byte[] Psi(int pid, int counter, byte[] section) => Packet(pid, counter, unitStart: true, [0, .. section]);

    /// <summary>A unit-start packet carrying a whole PES, stuffed to length with an adaptation field.</summary>
    public static byte[] Pes(int pid, int counter, string pesHex, bool randomAccess = false) =>
        Packet(pid, counter, unitStart: true, Hex.Bytes(pesHex), stuff: true, randomAccess: randomAccess);

    /// <summary>
    /// One packet. With <paramref name="stuff"/> the payload is placed at the end behind adaptation
    /// stuffing; otherwise it is padded with 0xFF after it (as PSI is).
    /// </summary>
    public static byte[] Packet(int pid, int counter, bool unitStart, byte[] payload, bool stuff = false, bool randomAccess = false)
    {
        var packet = new byte[TsPacket.Size];
        packet.AsSpan().Fill(0xFF);
        packet[0] = TsPacket.SyncByte;
        packet[1] = (byte)((unitStart ? 0x40 : 0) | (pid >> 8));
        packet[2] = (byte)pid;
        if (!stuff && !randomAccess)
        {
            packet[3] = (byte)(0x10 | (counter & 0x0F));
            payload.CopyTo(packet, 4);
            return packet;
        }
        var adaptation = TsPacket.MaxPayload - payload.Length;
        packet[3] = (byte)(0x30 | (counter & 0x0F));
        packet[4] = (byte)(adaptation - 1);
        if (adaptation > 1)
        {
            packet[5] = (byte)(randomAccess ? 0x40 : 0);
        }
        payload.CopyTo(packet, 4 + adaptation);
        return packet;
    }
}
