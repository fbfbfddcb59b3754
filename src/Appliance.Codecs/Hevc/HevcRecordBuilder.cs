using System.Buffers.Binary;

namespace Appliance.Codecs.Hevc;

/// <summary>
/// Writes the 'hvcC' record (ISO/IEC 14496-15, 8.3.3.1) from the VPS, SPS and PPS NAL units an
/// Annex-B stream carries in-band, with 4-byte NAL lengths: what an enhanced RTMP HEVC
/// SequenceStart holds. Profile, tier, level, chroma format and bit depths come from the first SPS.
/// </summary>
public static class HevcRecordBuilder
{
    private const int ArrayHeaderLength = 3;

    /// <summary>Null when a set is missing, the first SPS does not parse, or a set is too long for the record.</summary>
    public static byte[]? Create(IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        if (vps.Count == 0 || sps.Count == 0 || pps.Count == 0 || vps.Count + sps.Count + pps.Count > ushort.MaxValue
            || !HevcSps.TryParse(sps[0], out var info))
        {
            return null;
        }
        var length = HevcDecoderConfigurationRecord.FixedLength + 1 + 3 * ArrayHeaderLength;
        foreach (var sets in new[] { vps, sps, pps })
        {
            foreach (var set in sets)
            {
                if (set.Length > ushort.MaxValue)
                {
                    return null;
                }
                length += 2 + set.Length;
            }
        }
        var record = new byte[length];
        record[0] = 1;
        info.GeneralProfileTierLevel.CopyTo(record, 1);
        record[13] = 0xF0;  // reserved '1111', min_spatial_segmentation_idc 0 (unknown)
        record[14] = 0x00;
        record[15] = 0xFC;  // parallelismType 0 (unknown)
        record[16] = (byte)(0xFC | info.ChromaFormatIdc);
        record[17] = (byte)(0xF8 | info.BitDepthLumaMinus8);
        record[18] = (byte)(0xF8 | info.BitDepthChromaMinus8);
        // avgFrameRate 0 (unknown), constantFrameRate 0; lengthSizeMinusOne 3.
        record[21] = (byte)(((info.MaxSubLayersMinus1 + 1) << 3) | (info.TemporalIdNesting ? 0x04 : 0) | 0x03);
        record[22] = 3;
        var offset = HevcDecoderConfigurationRecord.FixedLength + 1;
        offset = WriteArray(record, offset, HevcDecoderConfigurationRecord.NalTypeVps, vps);
        offset = WriteArray(record, offset, HevcDecoderConfigurationRecord.NalTypeSps, sps);
        WriteArray(record, offset, HevcDecoderConfigurationRecord.NalTypePps, pps);
        return record;
    }

    // array_completeness 1: every set of the type is in the record, as the sequence header carries them all.
    private static int WriteArray(byte[] record, int offset, int nalType, IReadOnlyList<byte[]> sets)
    {
        record[offset] = (byte)(0x80 | nalType);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(offset + 1), (ushort)sets.Count);
        offset += ArrayHeaderLength;
        foreach (var set in sets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(offset), (ushort)set.Length);
            set.CopyTo(record, offset + 2);
            offset += 2 + set.Length;
        }
        return offset;
    }
}
