using System.Buffers.Binary;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Builds the single-packet PAT and PMT of our one-program stream (ISO/IEC 13818-1, 2.4.4). Both
/// are built once per configuration and copied per repetition with only the continuity counter
/// patched, so repeating them costs two 188-byte copies.
/// </summary>
internal static class PsiPackets
{
    public const int ProgramNumber = 1;
    public const int TransportStreamId = 1;

    private const int PatTableId = 0x00;
    private const int PmtTableId = 0x02;
    private const int CrcLength = 4;

    public static void WritePat(Span<byte> packet, int pmtPid)
    {
        Span<byte> section = stackalloc byte[16];
        var length = WriteSectionHeader(section, PatTableId, TransportStreamId, version: 0, bodyLength: 4);
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], ProgramNumber);
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], (ushort)(0xE000 | pmtPid));
        FinishPacket(packet, TsPacket.PatPid, section[..length]);
    }

    /// <summary>The PMT listing only the streams that exist; <paramref name="pcrPid"/> names one of them.</summary>
    public static void WritePmt(Span<byte> packet, int pmtPid, int version, int pcrPid, ReadOnlySpan<(TsStreamType Type, int Pid)> streams)
    {
        Span<byte> section = stackalloc byte[64];
        var body = 4 + (5 * streams.Length);
        var length = WriteSectionHeader(section, PmtTableId, ProgramNumber, version, body);
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], (ushort)(0xE000 | pcrPid));
        // Reserved bits, program_info_length 0: no program descriptors.
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], 0xF000);
        var offset = 12;
        foreach (var (type, pid) in streams)
        {
            section[offset] = (byte)type;
            BinaryPrimitives.WriteUInt16BigEndian(section[(offset + 1)..], (ushort)(0xE000 | pid));
            BinaryPrimitives.WriteUInt16BigEndian(section[(offset + 3)..], 0xF000);
            offset += 5;
        }
        FinishPacket(packet, pmtPid, section[..length]);
    }

    /// <summary>Sets the continuity counter of a prepared packet (payload only, so adaptation_field_control 01).</summary>
    public static void SetContinuityCounter(Span<byte> packet, int counter) => packet[3] = (byte)(0x10 | (counter & 0x0F));

    // Writes table_id through last_section_number and the CRC position; returns the section length with CRC.
    private static int WriteSectionHeader(Span<byte> section, int tableId, int idExtension, int version, int bodyLength)
    {
        var sectionLength = 5 + bodyLength + CrcLength;
        section[0] = (byte)tableId;
        // section_syntax_indicator 1, '0', reserved '11', then 12 bits of section_length.
        BinaryPrimitives.WriteUInt16BigEndian(section[1..], (ushort)(0xB000 | sectionLength));
        BinaryPrimitives.WriteUInt16BigEndian(section[3..], (ushort)idExtension);
        // Reserved '11', version, current_next_indicator 1.
        section[5] = (byte)(0xC1 | ((version & 0x1F) << 1));
        section[6] = 0;
        section[7] = 0;
        return 3 + sectionLength;
    }

    private static void FinishPacket(Span<byte> packet, int pid, Span<byte> section)
    {
        var crcOffset = section.Length - CrcLength;
        BinaryPrimitives.WriteUInt32BigEndian(section[crcOffset..], Crc32Mpeg2.Compute(section[..crcOffset]));
        packet[0] = TsPacket.SyncByte;
        // payload_unit_start_indicator: the section starts here, after a zero pointer_field.
        packet[1] = (byte)(0x40 | (pid >> 8));
        packet[2] = (byte)pid;
        packet[3] = 0x10;
        packet[4] = 0;
        section.CopyTo(packet[5..]);
        packet[(5 + section.Length)..TsPacket.Size].Fill(0xFF);
    }
}
