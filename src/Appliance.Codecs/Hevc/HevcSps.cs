using Appliance.Codecs.Bits;

namespace Appliance.Codecs.Hevc;

/// <summary>Reads the picture size and the 'hvcC' fields from an HEVC sequence parameter set (ITU-T H.265, 7.3.2.2.1).</summary>
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
        var parsed = Parse(spsNal, out var info) != Parsed.Nothing;
        width = info.Width;
        height = info.Height;
        return parsed;
    }

    /// <summary>
    /// What an 'hvcC' record repeats of the SPS: the general profile, tier and level bytes, the
    /// sub-layers, the chroma format and bit depths, and the picture size.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> spsNal, out HevcSpsInfo info) => Parse(spsNal, out info) == Parsed.All;

    private enum Parsed
    {
        Nothing,
        Resolution,
        All,
    }

    // The resolution alone needs less of the SPS than the record's fields (the bit depths follow it).
    private static Parsed Parse(ReadOnlySpan<byte> spsNal, out HevcSpsInfo info)
    {
        info = default;
        if (spsNal.Length < NalHeaderLength + 1 || (spsNal[0] & 0x80) != 0
            || ((spsNal[0] >> 1) & 0x3F) != HevcDecoderConfigurationRecord.NalTypeSps)
        {
            return Parsed.Nothing;
        }
        var bits = new BitReader(spsNal[NalHeaderLength..], stripEmulationPrevention: true);
        bits.SkipBits(4);  // sps_video_parameter_set_id
        var maxSubLayersMinus1 = (int)bits.ReadBits(3);
        if (maxSubLayersMinus1 > 6)
        {
            return Parsed.Nothing;
        }
        var temporalIdNesting = bits.ReadFlag();
        var generalProfileTierLevel = new byte[GeneralProfileTierLevelBits / 8];
        for (var i = 0; i < generalProfileTierLevel.Length; i++)
        {
            generalProfileTierLevel[i] = (byte)bits.ReadBits(8);
        }
        SkipSubLayers(ref bits, maxSubLayersMinus1);
        if (bits.ReadUe() > 15)  // sps_seq_parameter_set_id
        {
            return Parsed.Nothing;
        }
        var chromaFormatIdc = bits.ReadUe();
        if (chromaFormatIdc > 3)
        {
            return Parsed.Nothing;
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
            return Parsed.Nothing;
        }
        var bitDepthLumaMinus8 = bits.ReadUe();
        var bitDepthChromaMinus8 = bits.ReadUe();
        var depthsRead = !bits.Failed && bitDepthLumaMinus8 <= 8 && bitDepthChromaMinus8 <= 8;
        info = new HevcSpsInfo((int)w, (int)h, (int)chromaFormatIdc, depthsRead ? (int)bitDepthLumaMinus8 : 0, depthsRead ? (int)bitDepthChromaMinus8 : 0,
            maxSubLayersMinus1, temporalIdNesting, generalProfileTierLevel);
        return depthsRead ? Parsed.All : Parsed.Resolution;
    }

    // profile_tier_level() after its general part.
    private static void SkipSubLayers(ref BitReader bits, int maxSubLayersMinus1)
    {
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

/// <summary>
/// What an HEVC SPS says that an 'hvcC' record repeats. <see cref="GeneralProfileTierLevel"/> is the
/// 12 bytes from general_profile_space to general_level_idc, as the record stores them.
/// </summary>
public readonly record struct HevcSpsInfo(int Width, int Height, int ChromaFormatIdc, int BitDepthLumaMinus8, int BitDepthChromaMinus8,
    int MaxSubLayersMinus1, bool TemporalIdNesting, byte[] GeneralProfileTierLevel);
