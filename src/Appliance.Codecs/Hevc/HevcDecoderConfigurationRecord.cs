using System.Buffers.Binary;

namespace Appliance.Codecs.Hevc;

/// <summary>Reads the 'hvcC' record (ISO/IEC 14496-15, 8.3.3.1) carried by an HEVC sequence header.</summary>
public static class HevcDecoderConfigurationRecord
{
    /// <summary>Bytes before numOfArrays: version, profile/tier/level, and the fixed capability fields.</summary>
    public const int FixedLength = 22;

    public const int NalTypeVps = 32;
    public const int NalTypeSps = 33;
    public const int NalTypePps = 34;

    /// <summary>Finds the first SPS in the record and reads its picture size after the conformance window.</summary>
    public static bool TryParseResolution(ReadOnlySpan<byte> record, out int width, out int height)
    {
        width = 0;
        height = 0;
        return TryFindNalUnit(record, NalTypeSps, out var sps) && HevcSps.TryParseResolution(sps, out width, out height);
    }

    /// <summary>
    /// The first non-empty NAL unit of <paramref name="nalType"/> in the record's arrays. False when
    /// there is none or the record is truncated before it is found.
    /// </summary>
    public static bool TryFindNalUnit(ReadOnlySpan<byte> record, int nalType, out ReadOnlySpan<byte> nal)
    {
        nal = default;
        if (record.Length < FixedLength + 1)
        {
            return false;
        }
        var arrayCount = record[FixedLength];
        var offset = FixedLength + 1;
        for (var a = 0; a < arrayCount; a++)
        {
            if (record.Length - offset < 3)
            {
                return false;
            }
            var arrayType = record[offset] & 0x3F;
            var nalCount = BinaryPrimitives.ReadUInt16BigEndian(record.Slice(offset + 1, 2));
            offset += 3;
            for (var n = 0; n < nalCount; n++)
            {
                if (record.Length - offset < 2)
                {
                    return false;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(record.Slice(offset, 2));
                offset += 2;
                if (record.Length - offset < length)
                {
                    return false;
                }
                if (arrayType == nalType && length > 0)
                {
                    nal = record.Slice(offset, length);
                    return true;
                }
                offset += length;
            }
        }
        return false;
    }
}
