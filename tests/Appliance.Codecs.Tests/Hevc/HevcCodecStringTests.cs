using Appliance.Codecs.Hevc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Hevc;

public class HevcCodecStringTests
{
    [Theory]
    // x265 Main: compatibility flags 1 and 2 (0x60000000, reversed 0x6), progressive + frame-only (0x90), level 3.1.
    [InlineData(HevcDecoderConfigurationRecordTests.Record1280x720, "hvc1.1.6.L93.90")]
    [InlineData(HevcDecoderConfigurationRecordTests.Record1920x1080, "hvc1.1.6.L120.90")]
    // x265 RExt (profile 4, flag 4 -> 0x10) with two constraint bytes, level 3.
    [InlineData(HevcDecoderConfigurationRecordTests.Record718x574Yuv422, "hvc1.4.10.L90.9D.8")]
    [InlineData(HevcDecoderConfigurationRecordTests.Record854x480Yuv444, "hvc1.4.10.L90.9E.8")]
    // ISO/IEC 14496-15 Annex E's own example, "hev1.1.6.L93.B0", for the same fields in an hvc1 entry.
    [InlineData("01 01 60000000 B00000000000 5D F000FCFDF8F800000F 00", "hvc1.1.6.L93.B0")]
    // Profile space 2 (B), high tier, Main 10 (flag 2 -> 0x4), level 4, no constraint flags: one "0" is kept.
    [InlineData("01 A2 20000000 000000000000 78 F000FCFDF8F800000F 00", "hvc1.B2.4.H120.0")]
    // A zero byte between non-zero ones stays; only the trailing zeros go.
    [InlineData("01 01 60000000 B00088000000 5D F000FCFDF8F800000F 00", "hvc1.1.6.L93.B0.0.88")]
    public void NamesProfileCompatibilityTierLevelAndConstraints(string record, string expected)
    {
        Assert.True(HevcCodecString.TryCreate(Hex.Bytes(record), out var codecs, out var problem), problem);
        Assert.Equal(expected, codecs);
        Assert.Equal("", problem);
    }

    [Theory]
    [InlineData("01 01 60000000", "is truncated (6 bytes; the fixed part alone is 23)")]
    [InlineData("00 01 60000000 900000000000 5D F000FCFDF8F800000F 00", "has version 0, not 1")]
    [InlineData("01 00 60000000 900000000000 5D F000FCFDF8F800000F 00", "declares general_profile_idc 0 (no such profile)")]
    [InlineData("01 01 60000000 900000000000 5D F000FCFDF8F800000F 01 A1 0001 0010 4201", "is truncated in its NAL unit arrays")]
    public void RefusesAMalformedRecordAndSaysWhy(string record, string expected)
    {
        Assert.False(HevcCodecString.TryCreate(Hex.Bytes(record), out var codecs, out var problem));
        Assert.Equal("", codecs);
        Assert.Equal(expected, problem);
    }
}
