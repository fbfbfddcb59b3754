using Appliance.Codecs.Aac;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class AdtsHeaderTests
{
    [Fact]
    public void BuildsTheHeaderForLc44100Stereo()
    {
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes(TsSamples.AacLc44100Stereo), out var config));
        Assert.True(AdtsHeader.TryCreate(config, out var adts));
        var header = new byte[AdtsHeader.Length];
        adts.Write(header, 100);
        // Sync, MPEG-4, no CRC; profile LC (1), index 4, 2 channels; length 107; fullness 0x7FF.
        Assert.Equal("FFF150800D7FFC", Hex.Of(header));
    }

    [Fact]
    public void MatchesFfmpegForLc44100Mono()
    {
        // The first ADTS header of the ffmpeg sample: a 138-byte frame.
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("1208"), out var config));
        Assert.True(AdtsHeader.TryCreate(config, out var adts));
        var header = new byte[AdtsHeader.Length];
        adts.Write(header, 138 - AdtsHeader.Length);
        Assert.Equal("FFF15040115FFC", Hex.Of(header));
    }

    [Fact]
    public void DescribesTheLcCoreOfHeAac()
    {
        // Explicit SBR: object type 5, core 22050 Hz (index 7) stereo, output 44100, core LC.
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("2B9208"), out var config));
        Assert.True(AdtsHeader.TryCreate(config, out var adts));
        var header = new byte[AdtsHeader.Length];
        adts.Write(header, 0);
        // 5C 80: profile 1 (LC), sampling index 7, channel configuration 2.
        Assert.Equal("FFF15C8000FFFC", Hex.Of(header));
    }

    [Fact]
    public void WritesTheLargestFrame()
    {
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes(TsSamples.AacLc44100Stereo), out var config));
        Assert.True(AdtsHeader.TryCreate(config, out var adts));
        var header = new byte[AdtsHeader.Length];
        adts.Write(header, AdtsHeader.MaxPayloadLength);
        Assert.Equal("FFF15083FFFFFC", Hex.Of(header));
        Assert.Throws<ArgumentOutOfRangeException>(() => adts.Write(header, AdtsHeader.MaxPayloadLength + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adts.Write(header, -1));
    }

    [Theory]
    // Channel configuration 0: the layout would need a program config element in-band.
    [InlineData(2, 4, 0, 44100)]
    // An explicit sampling rate (index 15) has no ADTS code.
    [InlineData(2, 15, 2, 44100)]
    // ER AAC LD (23): not an ADTS profile.
    [InlineData(23, 3, 2, 48000)]
    // Channel configuration 11 (7 channels, 2009 amendment) does not fit ADTS's 3 bits.
    [InlineData(2, 3, 11, 48000)]
    public void RefusesConfigsAdtsCannotCarry(int objectType, int rateIndex, int channelConfiguration, int rate)
    {
        var config = new AacConfig(objectType, rate, 2) { CoreObjectType = objectType, SampleRateIndex = rateIndex, ChannelConfiguration = channelConfiguration };
        Assert.False(AdtsHeader.TryCreate(config, out _));
    }
}
