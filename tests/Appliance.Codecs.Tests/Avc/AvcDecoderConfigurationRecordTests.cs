using Appliance.Codecs.Avc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Avc;

public class AvcDecoderConfigurationRecordTests
{
    // avcC written by ffmpeg's mp4 muxer for the libx264 1280x720 High profile clip (see H264SpsTests).
    private const string Record720p =
        "01 64 00 1F FF E1 001A 6764001FACD9405005BB011000000300100000030320F1831960 01 0006 68EBE3CB22C0 FDF8F800";

    [Fact]
    public void ParsesARealRecord()
    {
        Assert.True(AvcDecoderConfigurationRecord.TryParse(Hex.Bytes(Record720p), out var config));
        Assert.NotNull(config);
        Assert.Equal(0x64, config.Profile);
        Assert.Equal(0x00, config.Compatibility);
        Assert.Equal(0x1F, config.Level);
        Assert.Equal(4, config.NalLengthSize);
        Assert.Equal([Hex.Bytes(H264SpsTests.Sps1280x720)], config.Sps);
        Assert.Equal([Hex.Bytes("68EBE3CB22C0")], config.Pps);
    }

    [Fact]
    public void ParsesSeveralParameterSetsAndShortLengthSizes()
    {
        var record = Hex.Bytes("01 42 C0 1E FD E2 0003 674200 0002 6742 02 0001 68 0002 68CE");
        Assert.True(AvcDecoderConfigurationRecord.TryParse(record, out var config));
        Assert.Equal(2, config!.NalLengthSize);
        Assert.Equal([Hex.Bytes("674200"), Hex.Bytes("6742")], config.Sps);
        Assert.Equal([Hex.Bytes("68"), Hex.Bytes("68CE")], config.Pps);

        Assert.True(AvcDecoderConfigurationRecord.TryParse(Hex.Bytes("01 42 C0 1E FC E1 0001 67 00"), out var one));
        Assert.Equal(1, one!.NalLengthSize);
        Assert.Empty(one.Pps);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("shorter than the fixed part", "01 64 00 1F FF")]
    [InlineData("version 0", "00 64 00 1F FF E1 0001 67 01 0001 68")]
    [InlineData("NAL length size 3", "01 64 00 1F FE E1 0001 67 01 0001 68")]
    [InlineData("no SPS", "01 64 00 1F FF E0 01 0001 68")]
    [InlineData("SPS length missing", "01 64 00 1F FF E1 00")]
    [InlineData("SPS longer than the record", "01 64 00 1F FF E1 0010 6764")]
    [InlineData("empty SPS", "01 64 00 1F FF E1 0000 01 0001 68")]
    [InlineData("PPS count missing", "01 64 00 1F FF E1 0001 67")]
    [InlineData("PPS longer than the record", "01 64 00 1F FF E1 0001 67 01 0002 68")]
    [InlineData("second PPS missing", "01 64 00 1F FF E1 0001 67 02 0001 68")]
    [InlineData("32 SPS claimed, one present", "01 64 00 1F FF FF 0001 67")]
    public void Rejects(string name, string hex)
    {
        Assert.False(AvcDecoderConfigurationRecord.TryParse(Hex.Bytes(hex), out var config), name);
        Assert.Null(config);
    }
}
