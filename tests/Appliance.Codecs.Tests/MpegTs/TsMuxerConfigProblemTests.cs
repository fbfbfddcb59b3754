using Appliance.Codecs.Avc;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>A refused video config says what is wrong with it, so the log names the publisher's real fault.</summary>
public class TsMuxerConfigProblemTests
{
    [Theory]
    [InlineData("0142C00AFFE1", "the AVCDecoderConfigurationRecord is truncated in its SPS (0 of 1 present)")]
    [InlineData("0142C0", "the AVCDecoderConfigurationRecord is truncated (3 bytes; the fixed part alone is 6)")]
    [InlineData("0242c00affe100166742c00ada25b011000003000100000300320f1226a001000468ce0fc8", "the AVCDecoderConfigurationRecord has version 2, not 1")]
    [InlineData("0142c00afee100166742c00ada25b011000003000100000300320f1226a001000468ce0fc8", "the AVCDecoderConfigurationRecord declares NAL lengths of 3 bytes (only 1, 2 or 4 exist)")]
    [InlineData("0142c00affe0", "the AVCDecoderConfigurationRecord has no SPS")]
    [InlineData("0142c00affe100166742c00ada", "the AVCDecoderConfigurationRecord is truncated in its SPS (SPS 1 of 1 claims 22 bytes, 5 left)")]
    [InlineData("0142c00affe10000", "the AVCDecoderConfigurationRecord has an empty SPS")]
    [InlineData("0142c00affe100166742c00ada25b011000003000100000300320f1226a0", "the AVCDecoderConfigurationRecord is truncated before its PPS count")]
    [InlineData("0142c00affe100166742c00ada25b011000003000100000300320f1226a000", "the AVCDecoderConfigurationRecord has no PPS")]
    [InlineData("0142c00affe1000468ce0fc801000468ce0fc8", "the AVCDecoderConfigurationRecord holds a NAL unit of type 8 where an SPS (7) belongs")]
    [InlineData("0142c00affe100166742c00ada25b011000003000100000300320f1226a001000465ce0fc8", "the AVCDecoderConfigurationRecord holds a NAL unit of type 5 where a PPS (8) belongs")]
    public void A_refused_avc_record_is_explained(string record, string problem)
    {
        var muxer = new TsMuxer();

        Assert.Equal(TsMuxStatus.BadVideoConfig, muxer.SetAvcConfig(Hex.Bytes(record)));

        Assert.Equal(problem, muxer.VideoConfigProblem);
        Assert.False(muxer.HasVideo);
    }

    [Theory]
    [InlineData("0101600000009000000000005DF000FCFDF8F8", "the HEVCDecoderConfigurationRecord is truncated (19 bytes; the fixed part alone is 23)")]
    [InlineData("0101600000009000000000005DF000FCFDF8F800000F02A00001001840010C01FFFF01600000030090000003000003005D959809A1000100074201010160000003", "the HEVCDecoderConfigurationRecord has no PPS")]
    [InlineData("0101600000009000000000005DF000FCFDF8F800000F01A00001009940010C", "the HEVCDecoderConfigurationRecord is truncated in its NAL unit arrays")]
    public void A_refused_hevc_record_is_explained(string record, string problem)
    {
        var muxer = new TsMuxer();

        Assert.Equal(TsMuxStatus.BadVideoConfig, muxer.SetHevcConfig(Hex.Bytes(record)));

        Assert.Equal(problem, muxer.VideoConfigProblem);
    }

    [Fact]
    public void A_good_record_clears_the_problem()
    {
        var muxer = new TsMuxer();
        muxer.SetAvcConfig(Hex.Bytes("0142c00affe0"));

        Assert.Equal(TsMuxStatus.Ok, muxer.SetAvcConfig(Hex.Bytes(TsSamples.AvcRecord)));

        Assert.Null(muxer.VideoConfigProblem);
        Assert.True(muxer.HasVideo);
    }

    [Fact]
    public void The_record_parser_gives_the_same_reasons_and_none_for_a_good_record()
    {
        Assert.False(AvcDecoderConfigurationRecord.TryParse(Hex.Bytes("0142c00affe0"), out _, out var bad));
        Assert.True(AvcDecoderConfigurationRecord.TryParse(Hex.Bytes(TsSamples.AvcRecord), out var config, out var good));

        Assert.Equal("has no SPS", bad);
        Assert.Equal("", good);
        Assert.NotNull(config);
    }
}
