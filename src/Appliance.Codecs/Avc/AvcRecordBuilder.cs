using System.Buffers.Binary;

namespace Appliance.Codecs.Avc;

/// <summary>
/// Writes the 'avcC' record (ISO/IEC 14496-15, 5.3.3.1) from the SPS and PPS NAL units an Annex-B
/// stream carries in-band, with 4-byte NAL lengths: what an FLV/RTMP AVC sequence header holds.
/// </summary>
public static class AvcRecordBuilder
{
    /// <summary>Null when there is no SPS, an SPS too short for its profile and level, or more sets than the record can count.</summary>
    public static byte[]? Create(IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        if (sps.Count is 0 or > 31 || pps.Count > 255 || sps[0].Length < 4)
        {
            return null;
        }
        var length = 7;
        foreach (var set in sps)
        {
            length += 2 + set.Length;
        }
        foreach (var set in pps)
        {
            length += 2 + set.Length;
        }
        var record = new byte[length];
        record[0] = 1;
        record[1] = sps[0][1];
        record[2] = sps[0][2];
        record[3] = sps[0][3];
        record[4] = 0xFF;
        record[5] = (byte)(0xE0 | sps.Count);
        var offset = Write(record, 6, sps);
        record[offset++] = (byte)pps.Count;
        Write(record, offset, pps);
        return record;
    }

    private static int Write(byte[] record, int offset, IReadOnlyList<byte[]> sets)
    {
        foreach (var set in sets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(offset), checked((ushort)set.Length));
            set.CopyTo(record, offset + 2);
            offset += 2 + set.Length;
        }
        return offset;
    }
}
