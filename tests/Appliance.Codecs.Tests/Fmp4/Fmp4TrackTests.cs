using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Tests.Hevc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Fmp4;

public class Fmp4TrackTests
{
    [Fact]
    public void AnAvcTrackTakesItsSizeFromTheSpsAndKeepsTheRecordAsItCame()
    {
        var record = Hex.Bytes(TestTracks.AvcRecord320x240);
        Assert.True(Fmp4Track.TryCreateAvc(3, record, out var track, out var problem));
        Assert.Equal("", problem);
        Assert.Equal((3u, Fmp4Codec.Avc, Fmp4TrackKind.Video, 90_000u), (track.TrackId, track.Codec, track.Kind, track.Timescale));
        Assert.Equal((320, 240, 0, 0), (track.Width, track.Height, track.SampleRate, track.Channels));
        Assert.Equal(record, track.Configuration.ToArray());

        record[0] = 0xEE;
        Assert.Equal(1, track.Configuration.Span[0]);
    }

    [Fact]
    public void AVideoTimescaleCanBeTheStreams()
    {
        Assert.True(Fmp4Track.TryCreateAvc(1, Hex.Bytes(TestTracks.AvcRecord320x240), out var track, out _, timescale: 1000));
        Assert.Equal(1000u, track.Timescale);
    }

    [Fact]
    public void AnHevcTrackTakesItsSizeFromTheSps()
    {
        var record = Hex.Bytes(HevcDecoderConfigurationRecordTests.Record1280x720);
        Assert.True(Fmp4Track.TryCreateHevc(1, record, out var track, out _));
        Assert.Equal((Fmp4Codec.Hevc, Fmp4TrackKind.Video, 1280, 720, 90_000u), (track.Codec, track.Kind, track.Width, track.Height, track.Timescale));
        Assert.Equal(record, track.Configuration.ToArray());
    }

    [Theory]
    [InlineData("1210", 44100, 2)]
    [InlineData("1188", 48000, 1)]
    [InlineData("2B1188", 48000, 2)]  // HE-AAC, explicit SBR: the output rate, not the 24 kHz core
    [InlineData("1200", 44100, 2)]    // layout from a program config element: declared stereo
    public void AnAacTracksTimescaleIsItsSampleRate(string asc, int rate, int channels)
    {
        Assert.True(Fmp4Track.TryCreateAac(2, Hex.Bytes(asc), out var track, out _));
        Assert.Equal((Fmp4Codec.Aac, Fmp4TrackKind.Audio, (uint)rate, rate, channels), (track.Codec, track.Kind, track.Timescale, track.SampleRate, track.Channels));
        Assert.Equal((0, 0), (track.Width, track.Height));
    }

    [Theory]
    [InlineData("", "the AVCDecoderConfigurationRecord is empty")]
    [InlineData("00 64 00 0D FF E1 0001 67 01 0001 68", "the AVCDecoderConfigurationRecord has version 0, not 1")]
    [InlineData("01 64 00 0D FF E1 0001 67", "the AVCDecoderConfigurationRecord is truncated before its PPS count")]
    [InlineData("01 64 00 0D FF E1 0019 " + Avc.H264SpsTests.Sps320x240 + " 00", "the AVCDecoderConfigurationRecord has no PPS")]
    [InlineData("01 64 00 0D FF E1 0003 670000 01 0001 68", "the AVCDecoderConfigurationRecord has an SPS whose picture size cannot be read")]
    public void RefusesABadAvcRecordSayingWhy(string hex, string expected)
    {
        Assert.False(Fmp4Track.TryCreateAvc(1, Hex.Bytes(hex), out var track, out var problem));
        Assert.Null(track);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void RefusesAnOversizedRecord()
    {
        var record = new byte[Fmp4Track.MaxConfigurationLength + 1];
        Assert.False(Fmp4Track.TryCreateAvc(1, record, out _, out var avc));
        Assert.Equal("the AVCDecoderConfigurationRecord is 65537 bytes, over the 65536-byte limit", avc);
        Assert.False(Fmp4Track.TryCreateHevc(1, record, out _, out var hevc));
        Assert.Equal("the HEVCDecoderConfigurationRecord is 65537 bytes, over the 65536-byte limit", hevc);
        Assert.False(Fmp4Track.TryCreateAac(1, record, out _, out var aac));
        Assert.Equal("the AudioSpecificConfig is 65537 bytes, over the 65536-byte limit", aac);
    }

    public static TheoryData<string, string> BadHevcRecords()
    {
        var good = HevcDecoderConfigurationRecordTests.Record1280x720.Replace(" ", "", StringComparison.Ordinal);
        var fixedPart = good[..44];
        var vps = "A00001 0018 40010C01FFFF01600000030090000003000003005D959809";
        var sps = "A10001 002B 42010101600000030090000003000003005DA00280802D165959A4932BC05A020000030002000003003210";
        var pps = "A20001 0007 4401C172B46240";
        const string name = "the HEVCDecoderConfigurationRecord";
        return new()
        {
            { "", $"{name} is empty" },
            { fixedPart[..40], $"{name} is truncated (20 bytes; the fixed part alone is 23)" },
            { fixedPart[..42] + "FE" + "03" + vps + sps + pps, $"{name} declares NAL lengths of 3 bytes (only 1, 2 or 4 exist)" },
            { good[..^4], $"{name} is truncated in its NAL unit arrays" },
            { fixedPart + "02" + sps + pps, $"{name} has no VPS" },
            { fixedPart + "02" + vps + pps, $"{name} has no SPS" },
            { fixedPart + "02" + vps + sps, $"{name} has no PPS" },
            { fixedPart + "03" + vps + "A10001 0003 420101" + pps, $"{name} has an SPS whose picture size cannot be read" },
        };
    }

    [Theory]
    [MemberData(nameof(BadHevcRecords))]
    public void RefusesABadHevcRecordSayingWhy(string hex, string expected)
    {
        Assert.False(Fmp4Track.TryCreateHevc(1, Hex.Bytes(hex), out var track, out var problem));
        Assert.Null(track);
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0210")]
    [InlineData("1240")]
    public void RefusesABadAudioSpecificConfig(string hex)
    {
        Assert.False(Fmp4Track.TryCreateAac(2, Hex.Bytes(hex), out var track, out var problem));
        Assert.Null(track);
        Assert.Equal(hex.Length == 0 ? "the AudioSpecificConfig is empty" : "the AudioSpecificConfig is truncated or uses a reserved value", problem);
    }

    [Fact]
    public void TrackIdAndTimescaleZeroAreProgrammingErrors()
    {
        var avc = Hex.Bytes(TestTracks.AvcRecord320x240);
        Assert.Throws<ArgumentOutOfRangeException>("trackId", () => Fmp4Track.TryCreateAvc(0, avc, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>("timescale", () => Fmp4Track.TryCreateAvc(1, avc, out _, out _, timescale: 0));
        Assert.Throws<ArgumentOutOfRangeException>("trackId", () => Fmp4Track.TryCreateHevc(0, Hex.Bytes(HevcDecoderConfigurationRecordTests.Record1280x720), out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>("trackId", () => Fmp4Track.TryCreateAac(0, Hex.Bytes("1210"), out _, out _));
    }
}
