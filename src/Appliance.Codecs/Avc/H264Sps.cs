using Appliance.Codecs.Bits;

namespace Appliance.Codecs.Avc;

/// <summary>Reads the picture size from an H.264 sequence parameter set (ITU-T H.264, 7.3.2.1.1).</summary>
public static class H264Sps
{
    private const int NalTypeSps = 7;
    private const int MaxDimension = 65535;

    /// <summary>
    /// <paramref name="spsNal"/> is the whole NAL unit, header byte included, as stored in avcC.
    /// Emulation-prevention bytes are skipped in place. The size is after frame cropping.
    /// </summary>
    public static bool TryParseResolution(ReadOnlySpan<byte> spsNal, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (spsNal.Length < 4 || (spsNal[0] & 0x80) != 0 || (spsNal[0] & 0x1F) != NalTypeSps)
        {
            return false;
        }
        var bits = new BitReader(spsNal[1..], stripEmulationPrevention: true);
        var profileIdc = bits.ReadBits(8);
        bits.SkipBits(16);  // constraint flags, level_idc
        if (bits.ReadUe() > 31)
        {
            return false;
        }

        uint chromaFormatIdc = 1;  // 4:2:0 unless a high profile says otherwise
        var separateColourPlane = false;
        if (HasChromaInfo(profileIdc))
        {
            chromaFormatIdc = bits.ReadUe();
            if (chromaFormatIdc > 3)
            {
                return false;
            }
            if (chromaFormatIdc == 3)
            {
                separateColourPlane = bits.ReadFlag();
            }
            if (bits.ReadUe() > 6 || bits.ReadUe() > 6)  // bit_depth_luma/chroma_minus8
            {
                return false;
            }
            bits.ReadFlag();  // qpprime_y_zero_transform_bypass_flag
            if (bits.ReadFlag() && !SkipScalingMatrix(ref bits, chromaFormatIdc == 3 ? 12 : 8))
            {
                return false;
            }
        }

        if (bits.ReadUe() > 12)  // log2_max_frame_num_minus4
        {
            return false;
        }
        var picOrderCntType = bits.ReadUe();
        if (picOrderCntType == 0)
        {
            if (bits.ReadUe() > 12)  // log2_max_pic_order_cnt_lsb_minus4
            {
                return false;
            }
        }
        else if (picOrderCntType == 1)
        {
            bits.ReadFlag();  // delta_pic_order_always_zero_flag
            bits.ReadSe();    // offset_for_non_ref_pic
            bits.ReadSe();    // offset_for_top_to_bottom_field
            var cycleLength = bits.ReadUe();
            if (cycleLength > 255)
            {
                return false;
            }
            for (var i = 0; i < cycleLength && !bits.Failed; i++)
            {
                bits.ReadSe();
            }
        }
        else if (picOrderCntType != 2)
        {
            return false;
        }

        bits.ReadUe();    // max_num_ref_frames
        bits.ReadFlag();  // gaps_in_frame_num_value_allowed_flag
        long widthInMbs = bits.ReadUe() + 1L;
        long heightInMapUnits = bits.ReadUe() + 1L;
        var frameMbsOnly = bits.ReadFlag();
        if (!frameMbsOnly)
        {
            bits.ReadFlag();  // mb_adaptive_frame_field_flag
        }
        bits.ReadFlag();  // direct_8x8_inference_flag
        long cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (bits.ReadFlag())
        {
            cropLeft = bits.ReadUe();
            cropRight = bits.ReadUe();
            cropTop = bits.ReadUe();
            cropBottom = bits.ReadUe();
        }
        if (bits.Failed)
        {
            return false;
        }

        // Field-coded streams count map units of two macroblock rows (7.4.2.1.1).
        var fieldFactor = frameMbsOnly ? 1L : 2L;
        long cropUnitX, cropUnitY;
        if (chromaFormatIdc == 0 || separateColourPlane)
        {
            cropUnitX = 1;
            cropUnitY = fieldFactor;
        }
        else
        {
            cropUnitX = chromaFormatIdc == 3 ? 1 : 2;
            cropUnitY = (chromaFormatIdc == 1 ? 2 : 1) * fieldFactor;
        }
        var w = (widthInMbs * 16) - (cropUnitX * (cropLeft + cropRight));
        var h = (heightInMapUnits * 16 * fieldFactor) - (cropUnitY * (cropTop + cropBottom));
        if (w is <= 0 or > MaxDimension || h is <= 0 or > MaxDimension)
        {
            return false;
        }
        width = (int)w;
        height = (int)h;
        return true;
    }

    // Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices.
    private static bool HasChromaInfo(uint profileIdc) =>
        profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135;

    private static bool SkipScalingMatrix(ref BitReader bits, int listCount)
    {
        for (var i = 0; i < listCount; i++)
        {
            if (bits.ReadFlag() && !SkipScalingList(ref bits, i < 6 ? 16 : 64))
            {
                return false;
            }
        }
        return !bits.Failed;
    }

    // 7.3.2.1.1.1: deltas continue until a delta lands on zero ("use the rest of the last value").
    private static bool SkipScalingList(ref BitReader bits, int size)
    {
        var lastScale = 8;
        var nextScale = 8;
        for (var j = 0; j < size; j++)
        {
            if (nextScale != 0)
            {
                var delta = bits.ReadSe();
                if (delta is < -128 or > 127 || bits.Failed)
                {
                    return false;
                }
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
        return true;
    }
}
