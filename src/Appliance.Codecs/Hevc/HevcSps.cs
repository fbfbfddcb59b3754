using Appliance.Codecs.Bits;

namespace Appliance.Codecs.Hevc;

/// <summary>Reads the picture size from an HEVC sequence parameter set (ITU-T H.265, 7.3.2.2.1).</summary>
public static class HevcSps
{
    private const int NalHeaderLength = 2;
    private const int MaxDimension = 65535;

    // general_profile_space .. general_level_idc in profile_tier_level(): 2+1+5+32+4+43+1+8 bits.
    private const int GeneralProfileTierLevelBits = 96;
    private const int SubLayerProfileBits = 88;
    private const int SubLayerLevelBits = 8;

    /// <summary><paramref name="spsNal"/> is the whole NAL unit, with its 2-byte header.</summary>
    public static bool TryParseResolution(ReadOnlySpan<byte> spsNal, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (spsNal.Length < NalHeaderLength + 1 || (spsNal[0] & 0x80) != 0
            || ((spsNal[0] >> 1) & 0x3F) != HevcDecoderConfigurationRecord.NalTypeSps)
        {
            return false;
        }
        var bits = new BitReader(spsNal[NalHeaderLength..], stripEmulationPrevention: true);
        bits.SkipBits(4);  // sps_video_parameter_set_id
        var maxSubLayersMinus1 = (int)bits.ReadBits(3);
        if (maxSubLayersMinus1 > 6)
        {
            return false;
        }
        bits.ReadFlag();  // sps_temporal_id_nesting_flag
        SkipProfileTierLevel(ref bits, maxSubLayersMinus1);
        if (bits.ReadUe() > 15)  // sps_seq_parameter_set_id
        {
            return false;
        }
        var chromaFormatIdc = bits.ReadUe();
        if (chromaFormatIdc > 3)
        {
            return false;
        }
        var separateColourPlane = chromaFormatIdc == 3 && bits.ReadFlag();
        long w = bits.ReadUe();
        long h = bits.ReadUe();
        if (bits.ReadFlag())
        {
            // Conformance window offsets are in chroma sample units (table 6-1).
            var chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            long subWidthC = chromaArrayType is 1 or 2 ? 2 : 1;
            long subHeightC = chromaArrayType == 1 ? 2 : 1;
            long left = bits.ReadUe(), right = bits.ReadUe(), top = bits.ReadUe(), bottom = bits.ReadUe();
            w -= subWidthC * (left + right);
            h -= subHeightC * (top + bottom);
        }
        if (bits.Failed || w is <= 0 or > MaxDimension || h is <= 0 or > MaxDimension)
        {
            return false;
        }
        width = (int)w;
        height = (int)h;
        return true;
    }

    private static void SkipProfileTierLevel(ref BitReader bits, int maxSubLayersMinus1)
    {
        bits.SkipBits(GeneralProfileTierLevelBits);
        Span<bool> profilePresent = stackalloc bool[8];
        Span<bool> levelPresent = stackalloc bool[8];
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            profilePresent[i] = bits.ReadFlag();
            levelPresent[i] = bits.ReadFlag();
        }
        if (maxSubLayersMinus1 > 0)
        {
            bits.SkipBits(2 * (8 - maxSubLayersMinus1));  // reserved_zero_2bits up to eight sub-layers
        }
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            if (profilePresent[i])
            {
                bits.SkipBits(SubLayerProfileBits);
            }
            if (levelPresent[i])
            {
                bits.SkipBits(SubLayerLevelBits);
            }
        }
    }
}
