using Appliance.Codecs.Avc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Avc;

/// <summary>
/// SPS NAL units produced by ffmpeg 5.1 / libx264 from testsrc, sizes confirmed with ffprobe.
/// </summary>
public class H264SpsTests
{
    // High, 320x240: 20x15 macroblocks, no cropping.
    public const string Sps320x240 = "6764000DACD94141FB011000000300100000030320F1429960";

    // High, 1280x720: 80x45 macroblocks, no cropping.
    public const string Sps1280x720 = "6764001FACD9405005BB011000000300100000030320F1831960";

    // High, 1920x1080: 120x68 macroblocks (1088 rows) cropped by 4 chroma rows at the bottom;
    // the VUI carries emulation-prevention bytes (00 00 03).
    public const string Sps1920x1080 = "67640028ACD940780227E5C044000003000400000300C83C60C658";

    // High 4:4:4 Predictive (profile 244, chroma_format_idc 3): crop units are single samples.
    public const string Sps1920x1080Yuv444 = "67F40028919B280F0044FC4E0220000003002000000641E30632C0";

    // High, interlaced (frame_mbs_only_flag 0): 34 map units of 32 rows, cropped to 1080.
    public const string Sps1920x1080Interlaced = "67640028ACD94078044FDE0220000003002000000643E2C5B2C0";

    // Constrained Baseline (profile 66): no chroma_format_idc in the SPS.
    public const string Sps640x360Baseline = "6742C01ED900A02FF97011000003000100000300320F162E48";

    // The 1280x720 SPS rewritten with seq_scaling_matrix_present_flag = 1: list 0 explicit (flat 16),
    // list 1 "use default" (delta -8), lists 2-5 absent, list 6 (8x8) explicit, list 7 absent.
    // ffmpeg decodes the clip with it and ffprobe reports 1280x720.
    public const string Sps1280x720ScalingLists = "6764001FAD843FFFC221087FFFFFFFFFFFFFFF6CA02802DD80880000030008000003019078C18CB0";

    [Theory]
    [InlineData(Sps320x240, 320, 240)]
    [InlineData(Sps1280x720, 1280, 720)]
    [InlineData(Sps1920x1080, 1920, 1080)]
    [InlineData(Sps1920x1080Yuv444, 1920, 1080)]
    [InlineData(Sps1920x1080Interlaced, 1920, 1080)]
    [InlineData(Sps640x360Baseline, 640, 360)]
    [InlineData(Sps1280x720ScalingLists, 1280, 720)]
    public void ReadsTheCroppedPictureSize(string hex, int expectedWidth, int expectedHeight)
    {
        Assert.True(H264Sps.TryParseResolution(Hex.Bytes(hex), out var width, out var height));
        Assert.Equal((expectedWidth, expectedHeight), (width, height));
    }

    // Hand-built Baseline SPS for 176x144 (11 x 9 MBs) with pic_order_cnt_type 1 and offsets of
    // +16384 / -16384, whose long exp-Golomb codes put 00 00 00 in the RBSP before the size fields,
    // so the NAL carries an emulation-prevention byte there (00 00 03 00). ffmpeg's trace_headers
    // reads the same fields: width-1 = 10, height-1 = 8.
    private const string Sps176x144PocType1Escaped = "6742001ED00004000003000800169A0B1390";

    // Hand-built Main SPS, interlaced (frame_mbs_only_flag 0): 45 MBs wide, 18 map units of 32 rows
    // = 576, frame_crop_bottom_offset 4 in units of 4 rows -> 720x560 (checked with trace_headers).
    private const string Sps720x560InterlacedCropped = "674D001EDA02D091F2A0";

    [Fact]
    public void EscapedBytesBeforeTheSizeFieldsAreSkipped()
    {
        Assert.True(H264Sps.TryParseResolution(Hex.Bytes(Sps176x144PocType1Escaped), out var width, out var height));
        Assert.Equal((176, 144), (width, height));
    }

    [Fact]
    public void TheEscapedNalAndItsRbspAgree()
    {
        // The same SPS with the 03 removed (as it would be read after unescaping) gives the same size.
        Assert.True(H264Sps.TryParseResolution(Hex.Bytes("6742001ED000040000000800169A0B1390"), out var width, out var height));
        Assert.Equal((176, 144), (width, height));
    }

    [Fact]
    public void InterlacedCropUnitsAreTwoFieldRows()
    {
        Assert.True(H264Sps.TryParseResolution(Hex.Bytes(Sps720x560InterlacedCropped), out var width, out var height));
        Assert.Equal((720, 560), (width, height));
    }

    // Hand-built vectors; the comment gives the fields after profile/constraints/level.
    [Theory]
    [InlineData("empty", "")]
    [InlineData("too short", "6764")]
    [InlineData("a PPS, not an SPS", "68EBE3CB22C0")]
    [InlineData("forbidden bit set", "E764001FACD9405005BB011000000300100000030320F1831960")]
    [InlineData("cut before the size", "6764001FACD940")]
    [InlineData("cut inside the crop offsets", "67640028ACD940780227")]
    [InlineData("seq_parameter_set_id 32", "6742001E0437")]            // ffmpeg: "out of range: 32"
    [InlineData("log2_max_frame_num_minus4 13", "6742001E8E70")]
    [InlineData("log2_max_pic_order_cnt_lsb_minus4 13", "6742001EE3A0")]
    [InlineData("scaling list delta 128", "6764001FAD804020")]          // ffmpeg: "delta_scale ... out of range: 128"
    [InlineData("scaling list cut short", "6764001FAD843E")]            // list 0: delta 8 then five zeros, then the end
    [InlineData("chroma_format_idc 4", "6764001F96")]                // High: id 0, chroma 4
    [InlineData("bit depth 15", "6764001FA086")]                     // High: id 0, chroma 1, luma depth-8 = 15
    [InlineData("pic_order_cnt_type 3", "6742001EC9")]               // id 0, log2 0, poc type 3
    [InlineData("poc cycle of 256", "6742001ED30080C0")]             // poc type 1, offsets 0, cycle 256
    [InlineData("width of 65536 MBs", "6742001EDA0000400004E4")]     // ffmpeg: "out of range: 65535"
    [InlineData("crop wider than the picture", "6742001EDA0B13C0B3D0")] // 11 MBs, crop left 88 units of 2
    public void Rejects(string name, string hex) =>
        Assert.False(H264Sps.TryParseResolution(Hex.Bytes(hex), out _, out _), name);

    [Fact]
    public void RandomMutationsNeverThrow()
    {
        var random = new Random(42);
        var sources = new[] { Sps1920x1080, Sps1920x1080Yuv444, Sps1280x720ScalingLists, Sps1920x1080Interlaced }.Select(Hex.Bytes).ToArray();
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = (byte[])sources[round % sources.Length].Clone();
            bytes[1 + random.Next(bytes.Length - 1)] = (byte)random.Next(256);
            var length = random.Next(bytes.Length + 1);
            if (H264Sps.TryParseResolution(bytes.AsSpan(0, length), out var width, out var height))
            {
                Assert.InRange(width, 1, 65535);
                Assert.InRange(height, 1, 65535);
            }
        }
    }
}
