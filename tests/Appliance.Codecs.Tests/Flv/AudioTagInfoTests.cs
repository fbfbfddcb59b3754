using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class AudioTagInfoTests
{
    [Fact]
    public void AacSequenceHeader()
    {
        var info = Parse("AF 00 1210");
        Assert.Equal(SoundFormat.Aac, info.Format);
        Assert.True(info.IsSequenceHeader);
        Assert.Equal(2, info.HeaderLength);
    }

    [Fact]
    public void AacRawFrame()
    {
        var info = Parse("AF 01 211004608C1C");
        Assert.Equal(SoundFormat.Aac, info.Format);
        Assert.False(info.IsSequenceHeader);
        Assert.Equal(2, info.HeaderLength);
    }

    [Theory]
    [InlineData("2F FFFB", SoundFormat.Mp3)]
    [InlineData("72 D5", SoundFormat.G711A)]
    [InlineData("82 55", SoundFormat.G711U)]
    [InlineData("B6 00", SoundFormat.Speex)]
    [InlineData("3E 0000", SoundFormat.LinearPcmLe)]
    [InlineData("E2 FFFB", SoundFormat.Mp3_8k)]
    [InlineData("F0", SoundFormat.DeviceSpecific)]
    public void OtherFormatsHaveAOneByteHeader(string hex, SoundFormat format)
    {
        var info = Parse(hex);
        Assert.Equal(format, info.Format);
        Assert.False(info.IsSequenceHeader);
        Assert.Equal(1, info.HeaderLength);
    }

    [Fact]
    public void EnhancedSequenceStart()
    {
        var info = Parse("90 4F707573 0102");
        Assert.Equal(SoundFormat.ExHeader, info.Format);
        Assert.True(info.IsSequenceHeader);
        Assert.Equal(5, info.HeaderLength);
    }

    [Fact]
    public void EnhancedCodedFramesAndMultichannelConfig()
    {
        var frames = Parse("91 6D703461 2110");
        Assert.Equal(SoundFormat.ExHeader, frames.Format);
        Assert.False(frames.IsSequenceHeader);
        Assert.Equal(5, frames.HeaderLength);
        Assert.False(Parse("94 664C6143 00").IsSequenceHeader);
    }

    [Fact]
    public void EnhancedModExAndMultitrack()
    {
        var modEx = Parse("97 00 AB 00 4F707573");
        Assert.True(modEx.IsSequenceHeader);
        Assert.Equal(8, modEx.HeaderLength);

        var multitrack = Parse("95 01 2E6D7033 00");
        Assert.False(multitrack.IsSequenceHeader);
        Assert.Equal(6, multitrack.HeaderLength);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("AAC without packet type", "AF")]
    [InlineData("AAC packet type 2", "AF 02")]
    [InlineData("format 12", "C0 00")]
    [InlineData("format 13", "D0 00")]
    [InlineData("enhanced reserved packet type 3", "93 4F707573")]
    [InlineData("enhanced reserved packet type 6", "96 4F707573")]
    [InlineData("enhanced FourCC truncated", "90 4F70")]
    [InlineData("enhanced ModEx truncated", "97 03 AA")]
    [InlineData("enhanced multitrack type missing", "95")]
    [InlineData("enhanced multitrack FourCC truncated", "95 01 2E6D")]
    public void Rejects(string name, string hex) =>
        Assert.False(AudioTagInfo.TryParse(Hex.Bytes(hex), out _), name);

    private static AudioTagInfo Parse(string hex)
    {
        Assert.True(AudioTagInfo.TryParse(Hex.Bytes(hex), out var info));
        return info;
    }
}
