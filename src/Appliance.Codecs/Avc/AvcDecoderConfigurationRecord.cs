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
    public static bool TryParse(ReadOnlySpan<byte> record, out AvcConfig? config) => TryParse(record, out config, out _);

    /// <summary>As <see cref="TryParse(ReadOnlySpan{byte}, out AvcConfig?)"/>; <paramref name="problem"/> says what is wrong with a refused record ("is truncated in its SPS"), empty otherwise.</summary>
    public static bool TryParse(ReadOnlySpan<byte> record, out AvcConfig? config, out string problem)
    {
        config = null;
        if (record.Length < FixedLength)
        {
            problem = $"is truncated ({record.Length} bytes; the fixed part alone is {FixedLength})";
            return false;
        }
        if (record[0] != 1)
        {
            problem = $"has version {record[0]}, not 1";
            return false;
        }
        var nalLengthSize = (record[4] & 0x03) + 1;
        if (nalLengthSize == 3)
        {
            problem = "declares NAL lengths of 3 bytes (only 1, 2 or 4 exist)";
            return false;
        }
        var offset = 5;
        var spsCount = record[offset++] & 0x1F;
        if (spsCount == 0)
        {
            problem = "has no SPS";
            return false;
        }
        if (!TryReadParameterSets(record, ref offset, spsCount, "SPS", out var sps, out problem))
        {
            return false;
        }
        if (offset >= record.Length)
        {
            problem = "is truncated before its PPS count";
            return false;
        }
        var ppsCount = record[offset++];
        if (!TryReadParameterSets(record, ref offset, ppsCount, "PPS", out var pps, out problem))
        {
            return false;
        }
        config = new AvcConfig(record[1], record[2], record[3], nalLengthSize, sps, pps);
        return true;
    }

    private static bool TryReadParameterSets(ReadOnlySpan<byte> record, ref int offset, int count, string kind, out byte[][] sets, out string problem)
    {
        // count is at most 255 and each set needs 3+ bytes, so checking per set bounds the allocation.
        sets = count == 0 ? [] : new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (record.Length - offset < 2)
            {
                problem = $"is truncated in its {kind} ({i} of {count} present)";
                return false;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(record.Slice(offset, 2));
            offset += 2;
            if (length == 0)
            {
                problem = $"has an empty {kind}";
                return false;
            }
            if (record.Length - offset < length)
            {
                problem = $"is truncated in its {kind} ({kind} {i + 1} of {count} claims {length} bytes, {record.Length - offset} left)";
                return false;
            }
            sets[i] = record.Slice(offset, length).ToArray();
            offset += length;
        }
        problem = "";
        return true;
    }
}
