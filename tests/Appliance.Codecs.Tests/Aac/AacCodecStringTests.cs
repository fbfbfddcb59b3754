using Appliance.Codecs.Aac;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Aac;

public class AacCodecStringTests
{
    [Theory]
    [InlineData("1210", "mp4a.40.2")]     // AAC-LC 44.1 kHz stereo, what ffmpeg's aac encoder writes
    [InlineData("1188", "mp4a.40.2")]     // AAC-LC 48 kHz mono
    [InlineData("0A10", "mp4a.40.1")]     // AAC Main
    [InlineData("2B1188", "mp4a.40.5")]   // HE-AAC, SBR signalled explicitly (AudioSpecificConfigTests)
    [InlineData("EB0988", "mp4a.40.29")]  // HE-AACv2, PS on a mono core
    public void NamesTheSignalledObjectType(string asc, string expected)
    {
        Assert.True(AacCodecString.TryCreate(Hex.Bytes(asc), out var codecs, out var problem), problem);
        Assert.Equal(expected, codecs);
    }

    [Theory]
    [InlineData("", "is truncated (0 bytes; at least 2 are needed)")]
    [InlineData("12", "is truncated (1 bytes; at least 2 are needed)")]
    [InlineData("0210", "is truncated or uses a reserved value (object type 0, sampling index 13 or 14, channel configuration 8-10 or 15)")]
    [InlineData("1690", "is truncated or uses a reserved value (object type 0, sampling index 13 or 14, channel configuration 8-10 or 15)")]
    public void RefusesAMalformedConfigAndSaysWhy(string asc, string expected)
    {
        Assert.False(AacCodecString.TryCreate(Hex.Bytes(asc), out var codecs, out var problem));
        Assert.Equal("", codecs);
        Assert.Equal(expected, problem);
    }
}
