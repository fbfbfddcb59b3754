using Appliance.Codecs.Hevc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Hevc;

/// <summary>
/// hvcC records written by ffmpeg 5.1's mp4 muxer for libx265 3.5 clips (sizes confirmed with
/// ffprobe), trimmed to their VPS, SPS and PPS arrays (the SEI array held only x265's banner).
/// </summary>
public class HevcDecoderConfigurationRecordTests
{
    // Main, 1280x720, no conformance window. The SPS carries emulation-prevention bytes in its
    // profile_tier_level, before the size fields.
    public const string Record1280x720 =
        "0101600000009000000000005DF000FCFDF8F800000F03" +
        "A00001 0018 40010C01FFFF01600000030090000003000003005D959809" +
        "A10001 002B 42010101600000030090000003000003005DA00280802D165959A4932BC05A020000030002000003003210" +
        "A20001 0007 4401C172B46240";

    // Main, 1920x1080: 1080 is a multiple of the 8-sample minimum CU, so no window either.
    public const string Record1920x1080 =
        "01016000000090000000000078F000FCFDF8F800000F03" +
        "A00001 0018 40010C01FFFF016000000300900000030000030078959809" +
        "A10001 002A 420101016000000300900000030000030078A003C08010E596566924CAF0168080000003008000000C84" +
        "A20001 0007 4401C172B46240";

    // Main, 1366x768: coded 1368 wide, conf_win_right_offset 1 in units of 2 (4:2:0).
    public const string Record1366x768 =
        "01016000000090000000000078F000FCFDF8F800000F03" +
        "A00001 0018 40010C01FFFF016000000300900000030000030078959809" +
        "A10001 002C 420101016000000300900000030000030078A002AC80301D796566924CAF016808000003000800000300C840" +
        "A20001 0007 4401C172B46240";

    // Main 4:2:2 10 (RExt profile 4), 718x574: coded 720x576, window right 1 (units of 2), bottom 2 (units of 1).
    public const string Record718x574Yuv422 =
        "0104080000009D08000000005AF000FCFEF8F800000F03" +
        "A00001 0017 40010C01FFFF0408000003009D0800000300005A959809" +
        "A10001 002B 4201010408000003009D0800000300005AB005A2009075796566924CAF016808000003000800000300C840" +
        "A20001 0007 4401C172B46240";

    // RExt 4:4:4, 854x480: coded 856 wide, window right 2 in units of 1.
    public const string Record854x480Yuv444 =
        "0104080000009E08000000005AF000FCFFF8F800000F03" +
        "A00001 0017 40010C01FFFF0408000003009E0800000300005A959809" +
        "A10001 002B 4201010408000003009E0800000300005A9000D6403C3BF2CACD24995E02D0100000030010000003019080" +
        "A20001 0008 4401C172860C4624";

    // Main, 640x360 with temporal sub-layers (sps_max_sub_layers_minus1 = 1): exercises the
    // sub-layer flags and reserved bits of profile_tier_level.
    public const string Record640x360SubLayers =
        "0101600000009000000000003FF000FCFDF8F800001303" +
        "A00001 001C 40010C02FFFF01600000030090000003000003003F00009598ACC048" +
        "A10001 002E 42010201600000030090000003000003003F0000A005020169659598ACD24995E02D010000030001000003001908" +
        "A20001 0007 4401C172B46240";

    [Theory]
    [InlineData(Record1280x720, 1280, 720)]
    [InlineData(Record1920x1080, 1920, 1080)]
    [InlineData(Record1366x768, 1366, 768)]
    [InlineData(Record718x574Yuv422, 718, 574)]
    [InlineData(Record854x480Yuv444, 854, 480)]
    [InlineData(Record640x360SubLayers, 640, 360)]
    public void ReadsTheSizeFromTheSps(string hex, int expectedWidth, int expectedHeight)
    {
        Assert.True(HevcDecoderConfigurationRecord.TryParseResolution(Hex.Bytes(hex), out var width, out var height));
        Assert.Equal((expectedWidth, expectedHeight), (width, height));
    }

    [Fact]
    public void FindsEachParameterSet()
    {
        var record = Hex.Bytes(Record1280x720);
        Assert.True(HevcDecoderConfigurationRecord.TryFindNalUnit(record, HevcDecoderConfigurationRecord.NalTypeVps, out var vps));
        Assert.Equal(Hex.Bytes("40010C01FFFF01600000030090000003000003005D959809"), vps.ToArray());
        Assert.True(HevcDecoderConfigurationRecord.TryFindNalUnit(record, HevcDecoderConfigurationRecord.NalTypePps, out var pps));
        Assert.Equal(Hex.Bytes("4401C172B46240"), pps.ToArray());
        Assert.False(HevcDecoderConfigurationRecord.TryFindNalUnit(record, 39, out _));
    }

    [Fact]
    public void SkipsOtherArraysAndEmptyUnitsToFindTheSps()
    {
        // An SEI array first, then an SPS array whose first unit is empty.
        var record = Hex.Bytes(
            "0101600000009000000000005DF000FCFDF8F800000F02" +
            "27 0001 0003 4E0105" +
            "A1 0002 0000 002B 42010101600000030090000003000003005DA00280802D165959A4932BC05A020000030002000003003210");
        Assert.True(HevcDecoderConfigurationRecord.TryParseResolution(record, out var width, out var height));
        Assert.Equal((1280, 720), (width, height));
    }

    [Fact]
    public void SpsParsedDirectly()
    {
        Assert.True(HevcSps.TryParseResolution(
            Hex.Bytes("420101016000000300900000030000030078A002AC80301D796566924CAF016808000003000800000300C840"),
            out var width,
            out var height));
        Assert.Equal((1366, 768), (width, height));
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("fixed part only", "0101600000009000000000005DF000FCFDF8F800000F")]
    [InlineData("no arrays", "0101600000009000000000005DF000FCFDF8F800000F00")]
    [InlineData("no SPS array", "0101600000009000000000005DF000FCFDF8F800000F01 A2 0001 0007 4401C172B46240")]
    [InlineData("array header truncated", "0101600000009000000000005DF000FCFDF8F800000F01 A1 00")]
    [InlineData("unit length truncated", "0101600000009000000000005DF000FCFDF8F800000F01 A1 0001 00")]
    [InlineData("unit longer than the record", "0101600000009000000000005DF000FCFDF8F800000F01 A1 0001 002B 4201010160")]
    [InlineData("more arrays claimed than present", "0101600000009000000000005DF000FCFDF8F800000F05 A2 0001 0001 44")]
    [InlineData("SPS array holding a PPS", "0101600000009000000000005DF000FCFDF8F800000F01 A1 0001 0007 4401C172B46240")]
    [InlineData("SPS cut in profile_tier_level", "0101600000009000000000005DF000FCFDF8F800000F01 A1 0001 0008 4201010160000003")]
    [InlineData("SPS cut before the height", "0101600000009000000000005DF000FCFDF8F800000F01 A1 0001 0013 42010101600000030090000003000003005DA002")]
    public void Rejects(string name, string hex) =>
        Assert.False(HevcDecoderConfigurationRecord.TryParseResolution(Hex.Bytes(hex), out _, out _), name);

    [Theory]
    [InlineData("too short", "4201")]
    [InlineData("forbidden bit", "C20101016000000300900000030000030078A002AC80301D7965")]
    [InlineData("seven sub-layers plus one", "42010F")]
    [InlineData("not an SPS (VPS)", "40010C01FFFF01600000030090000003000003005D959809")]
    [InlineData("sps_seq_parameter_set_id 16", "42010101600000030090000003000003007808A00280802D14")]
    [InlineData("chroma_format_idc 4", "42010101600000030090000003000003007896")]    // sps id 0, chroma 4
    [InlineData("zero width", "420101016000000300900000030000030078A802D180")]  // chroma 1, width 0, height 720
    public void SpsRejects(string name, string hex) =>
        Assert.False(HevcSps.TryParseResolution(Hex.Bytes(hex), out _, out _), name);

    [Fact]
    public void MinimalHandBuiltSpsParses()
    {
        // The control for the hand-built rejections: same bits with sps id 0 is 1280x720.
        Assert.True(HevcSps.TryParseResolution(Hex.Bytes("420101016000000300900000030000030078A00280802D14"), out var width, out var height));
        Assert.Equal((1280, 720), (width, height));
    }

    [Fact]
    public void RandomMutationsNeverThrow()
    {
        var random = new Random(7);
        var sources = new[] { Record1366x768, Record718x574Yuv422, Record640x360SubLayers }.Select(Hex.Bytes).ToArray();
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = (byte[])sources[round % sources.Length].Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var length = random.Next(bytes.Length + 1);
            if (HevcDecoderConfigurationRecord.TryParseResolution(bytes.AsSpan(0, length), out var width, out var height))
            {
                Assert.InRange(width, 1, 65535);
                Assert.InRange(height, 1, 65535);
            }
        }
    }
}
