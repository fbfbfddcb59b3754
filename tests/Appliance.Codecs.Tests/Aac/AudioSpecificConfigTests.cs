using Appliance.Codecs.Aac;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Aac;

public class AudioSpecificConfigTests
{
    [Theory]
    [InlineData("1210", 2, 44100, 2, 4)]       // LC, index 4, stereo
    [InlineData("1190", 2, 48000, 2, 3)]       // LC, index 3, stereo
    [InlineData("1188", 2, 48000, 1, 3)]       // LC, mono
    [InlineData("1388", 2, 22050, 1, 7)]       // LC, 22.05 kHz mono
    [InlineData("1598", 2, 8000, 3, 11)]       // LC, 8 kHz, 3 channels
    [InlineData("0A10", 1, 44100, 2, 4)]       // Main profile
    [InlineData("11B0", 2, 48000, 6, 3)]       // 5.1
    [InlineData("11B8", 2, 48000, 8, 3)]       // configuration 7 = 7.1, 8 channels
    [InlineData("1210 56E500", 2, 44100, 2, 4)] // with ffmpeg's trailing sync extension (ignored)
    public void Parses(string hex, int objectType, int sampleRate, int channels, int rateIndex)
    {
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes(hex), out var config));
        Assert.Equal(new AacConfig(objectType, sampleRate, channels), config with { CoreObjectType = 0, SampleRateIndex = 0, ChannelConfiguration = 0 });
        Assert.Equal(objectType, config.CoreObjectType);
        Assert.Equal(rateIndex, config.SampleRateIndex);
    }

    [Fact]
    public void ExplicitSamplingFrequency()
    {
        // LC (00010), index 15, 24-bit rate 44100 (0x00AC44), stereo (0010), then 3 zero bits.
        // 00010 1111 000000001010110001000100 0010 000
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("1780562210"), out var config));
        Assert.Equal((2, 44100, 2, 15), (config.ObjectType, config.SampleRate, config.Channels, config.SampleRateIndex));
    }

    [Fact]
    public void HeAacExplicitSbr()
    {
        // SBR (00101), core index 6 (24 kHz), stereo, extension index 3 (48 kHz), core LC (00010), pad.
        // 00101 0110 0010 0011 00010 00 -> 2B 11 88
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("2B1188"), out var config));
        Assert.Equal((5, 48000, 2), (config.ObjectType, config.SampleRate, config.Channels));
        Assert.Equal((2, 6, 2), (config.CoreObjectType, config.SampleRateIndex, config.ChannelConfiguration));
    }

    [Fact]
    public void HeAacV2ParametricStereoOnAMonoCore()
    {
        // PS (11101), core index 6, mono, extension index 3, core LC, pad.
        // 11101 0110 0001 0011 00010 00 -> EB 09 88
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("EB0988"), out var config));
        Assert.Equal((29, 48000, 2), (config.ObjectType, config.SampleRate, config.Channels));
        Assert.Equal(1, config.ChannelConfiguration);
    }

    [Fact]
    public void EscapedObjectType()
    {
        // 11111 + 6 bits (000010 -> 32 + 2 = 34, Layer-3), index 4, stereo.
        // 11111 000010 0100 0010 -> F8 48 40
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("F84840"), out var config));
        Assert.Equal((34, 44100, 2), (config.ObjectType, config.SampleRate, config.Channels));
    }

    [Fact]
    public void ChannelsFromAProgramConfigElementAreZero()
    {
        Assert.True(AudioSpecificConfig.TryParse(Hex.Bytes("1200"), out var config));
        Assert.Equal(0, config.Channels);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("one byte", "12")]
    [InlineData("object type 0", "0210")]
    [InlineData("sampling index 13", "1690")]
    [InlineData("sampling index 14", "1710")]
    [InlineData("explicit rate truncated", "1780")]
    [InlineData("explicit rate of 0", "1780000010")]
    [InlineData("channel configuration 8", "1240")]
    [InlineData("channel configuration 15", "1278")]
    [InlineData("SBR without extension", "2B10")]
    [InlineData("SBR extension index 13", "2B1688")]
    [InlineData("SBR with core object type 0", "2B1180")]
    [InlineData("escaped object type truncated", "F8")]
    public void Rejects(string name, string hex) =>
        Assert.False(AudioSpecificConfig.TryParse(Hex.Bytes(hex), out _), name);
}
