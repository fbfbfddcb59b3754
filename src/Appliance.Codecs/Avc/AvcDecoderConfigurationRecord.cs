using System.Buffers.Binary;

namespace Appliance.Codecs.Avc;

/// <summary>Parses the 'avcC' record carried by an FLV/RTMP AVC sequence header.</summary>
public static class AvcDecoderConfigurationRecord
{
    private const int FixedLength = 6;

    /// <summary>
    /// False when the record is truncated, not version 1, has a NAL length size other than 1, 2 or 4,
    /// no SPS, or an empty parameter set. The optional high-profile trailer is ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> record, out AvcConfig? config)
    {
        config = null;
        if (record.Length < FixedLength || record[0] != 1)
        {
            return false;
        }
        var nalLengthSize = (record[4] & 0x03) + 1;
        if (nalLengthSize == 3)
        {
            return false;
        }
        var offset = 5;
        var spsCount = record[offset++] & 0x1F;
        if (spsCount == 0 || !TryReadParameterSets(record, ref offset, spsCount, out var sps))
        {
            return false;
        }
        if (offset >= record.Length)
        {
            return false;
        }
        var ppsCount = record[offset++];
        if (!TryReadParameterSets(record, ref offset, ppsCount, out var pps))
        {
            return false;
        }
        config = new AvcConfig(record[1], record[2], record[3], nalLengthSize, sps, pps);
        return true;
    }

    private static bool TryReadParameterSets(ReadOnlySpan<byte> record, ref int offset, int count, out byte[][] sets)
    {
        // count is at most 255 and each set needs 3+ bytes, so checking per set bounds the allocation.
        sets = count == 0 ? [] : new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (record.Length - offset < 2)
            {
                return false;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(record.Slice(offset, 2));
            offset += 2;
            if (length == 0 || record.Length - offset < length)
            {
                return false;
            }
            sets[i] = record.Slice(offset, length).ToArray();
            offset += length;
        }
        return true;
    }
}
