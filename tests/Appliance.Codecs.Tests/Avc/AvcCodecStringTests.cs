using Appliance.Codecs.Avc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Avc;

public class AvcCodecStringTests
{
    [Theory]
    // ffmpeg's libx264 High@3.1 record (AvcDecoderConfigurationRecordTests); ffmpeg's HLS muxer writes "avc1.64001f" for it.
    [InlineData("01 64 00 1F FF E1 001A 6764001FACD9405005BB011000000300100000030320F1831960 01 0006 68EBE3CB22C0 FDF8F800", "avc1.64001f")]
    // Constrained Baseline 3.0: constraint_set0 and 1 set; hex stays lowercase.
    [InlineData("01 42 C0 1E FF E1 0004 6742C01E 01 0002 68CE", "avc1.42c01e")]
    // Main 4.0, no PPS (the string needs none).
    [InlineData("01 4D 40 28 FF E1 0004 674D4028 00", "avc1.4d4028")]
    public void NamesProfileConstraintsAndLevel(string record, string expected)
    {
        Assert.True(AvcCodecString.TryCreate(Hex.Bytes(record), out var codecs, out var problem), problem);
        Assert.Equal(expected, codecs);
        Assert.Equal("", problem);
    }

    [Theory]
    [InlineData("01 64 00", "is truncated (3 bytes; the fixed part alone is 6)")]
    [InlineData("02 64 00 1F FF E1 0004 6764001F 00", "has version 2, not 1")]
    [InlineData("01 64 00 1F FF E0 00", "has no SPS")]
    [InlineData("01 64 00 1F FF E1 0010 6764", "is truncated in its SPS (SPS 1 of 1 claims 16 bytes, 2 left)")]
    [InlineData("01 00 00 1F FF E1 0004 6700001F 00", "declares profile_idc 0 (no such profile)")]
    public void RefusesAMalformedRecordAndSaysWhy(string record, string expected)
    {
        Assert.False(AvcCodecString.TryCreate(Hex.Bytes(record), out var codecs, out var problem));
        Assert.Equal("", codecs);
        Assert.Equal(expected, problem);
    }
}
