namespace Appliance.Codecs.MpegTs;

/// <summary>The NAL unit types the muxer and demuxer act on (H.264 table 7-1, H.265 table 7-1).</summary>
public static class NalUnitTypes
{
    public const int H264Idr = 5;
    public const int H264Sps = 7;
    public const int H264Pps = 8;
    public const int H264Aud = 9;

    public const int H265BlaWLp = 16;
    public const int H265RsvIrap23 = 23;
    public const int H265Vps = 32;
    public const int H265Sps = 33;
    public const int H265Pps = 34;
    public const int H265Aud = 35;

    public static int H264Type(byte header) => header & 0x1F;

    public static int H265Type(byte header) => (header >> 1) & 0x3F;

    /// <summary>
    /// True when the first picture of an Annex-B access unit is an IDR (H.264) or IRAP (H.265):
    /// walks NAL units until the first slice, so a large frame costs a few start-code searches.
    /// </summary>
    public static bool StartsWithRandomAccess(ReadOnlySpan<byte> annexB, bool hevc)
    {
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            if (hevc)
            {
                var type = H265Type(nal[0]);
                if (type < H265Vps)
                {
                    // VCL types are 0-31; of those, 16-23 are IRAP.
                    return type is >= H265BlaWLp and <= H265RsvIrap23;
                }
            }
            else
            {
                var type = H264Type(nal[0]);
                if (type is >= 1 and <= H264Idr)
                {
                    return type == H264Idr;
                }
            }
        }
        return false;
    }
}
