using System.Buffers.Binary;
using System.Text;

namespace Appliance.Codecs.Hevc;

/// <summary>
/// The RFC 6381 codecs parameter of an H.265 track in a sample entry 'hvc1' (ISO/IEC 14496-15,
/// Annex E.3), from the profile_tier_level fields an HEVCDecoderConfigurationRecord copies from
/// the SPS: "hvc1.[A|B|C]&lt;profile idc&gt;.&lt;compatibility flags, bit-reversed, hex&gt;.&lt;L|H&gt;&lt;level idc&gt;.&lt;constraint bytes&gt;"
/// ("hvc1.1.6.L93.B0"). Hex is uppercase without leading zeros, as the Annex's own examples and
/// GPAC write it. Trailing zero constraint bytes are dropped, but the first is always written, as
/// GPAC and Apple's examples do, for parsers that expect the field. (ffmpeg's HLS muxer writes a
/// fixed ".4" and ".B01" for every stream; it is not followed.)
/// </summary>
public static class HevcCodecString
{
    // configurationVersion, then profile space/tier/idc, 4 compatibility bytes, 6 constraint bytes, level.
    private const int ProfileByte = 1;
    private const int CompatibilityOffset = 2;
    private const int ConstraintOffset = 6;
    private const int ConstraintLength = 6;
    private const int LevelByte = 12;

    /// <summary>
    /// False when the record is shorter than its fixed part, is not version 1 (another layout),
    /// declares general_profile_idc 0, or its NAL unit arrays are truncated; <paramref name="problem"/> says which.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> record, out string codecs, out string problem)
    {
        codecs = "";
        if (record.Length < HevcDecoderConfigurationRecord.FixedLength + 1)
        {
            problem = $"is truncated ({record.Length} bytes; the fixed part alone is {HevcDecoderConfigurationRecord.FixedLength + 1})";
            return false;
        }
        if (record[0] != 1)
        {
            problem = $"has version {record[0]}, not 1";
            return false;
        }
        if ((record[ProfileByte] & 0x1F) == 0)
        {
            problem = "declares general_profile_idc 0 (no such profile)";
            return false;
        }
        var arrays = new HevcNalArrayReader(record);
        while (arrays.TryReadNext(out _, out _))
        {
        }
        if (arrays.Failed)
        {
            problem = "is truncated in its NAL unit arrays";
            return false;
        }
        problem = "";
        codecs = Create(record);
        return true;
    }

    // The caller has checked the fixed part is there.
    private static string Create(ReadOnlySpan<byte> record)
    {
        var text = new StringBuilder("hvc1.", 40);
        var space = record[ProfileByte] >> 6;
        if (space > 0)
        {
            text.Append((char)('A' + space - 1));
        }
        text.Append(record[ProfileByte] & 0x1F).Append('.');
        // general_profile_compatibility_flag[j] is bit 31 - j of the big-endian word; the string puts flag j at bit j.
        var compatibility = BinaryPrimitives.ReadUInt32BigEndian(record.Slice(CompatibilityOffset, 4));
        text.Append(ReverseBits(compatibility).ToString("X")).Append('.');
        text.Append((record[ProfileByte] & 0x20) != 0 ? 'H' : 'L').Append(record[LevelByte]);
        var constraints = record.Slice(ConstraintOffset, ConstraintLength);
        var last = constraints.LastIndexOfAnyExcept((byte)0);
        for (var i = 0; i <= Math.Max(last, 0); i++)
        {
            text.Append('.').Append(constraints[i].ToString("X"));
        }
        return text.ToString();
    }

    private static uint ReverseBits(uint value)
    {
        var reversed = 0u;
        for (var i = 0; i < 32; i++)
        {
            reversed = (reversed << 1) | ((value >> i) & 1);
        }
        return reversed;
    }
}
