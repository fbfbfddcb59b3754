using Appliance.Codecs.Avc;

namespace Appliance.Codecs.Tests.Avc;

public sealed class AvcRecordBuilderTests
{
    private static readonly byte[] Sps = [0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40];
    private static readonly byte[] Pps = [0x68, 0xEB, 0xE3, 0xCB];

    [Fact]
    public void Writes_a_record_the_parser_reads_back_with_4_byte_nal_lengths()
    {
        var record = AvcRecordBuilder.Create([Sps], [Pps]);

        Assert.True(AvcDecoderConfigurationRecord.TryParse(record, out var config, out var problem), problem);
        Assert.Equal((0x64, 0x00, 0x1F, 4), (config!.Profile, config.Compatibility, config.Level, config.NalLengthSize));
        Assert.Equal(Sps, Assert.Single(config.Sps));
        Assert.Equal(Pps, Assert.Single(config.Pps));
    }

    [Fact]
    public void Refuses_no_sps_or_one_too_short_for_profile_and_level()
    {
        Assert.Null(AvcRecordBuilder.Create([], [Pps]));
        Assert.Null(AvcRecordBuilder.Create([[0x67, 0x64, 0x00]], [Pps]));
        Assert.Null(AvcRecordBuilder.Create(Enumerable.Repeat(Sps, 32).ToList(), [Pps]));
    }
}
