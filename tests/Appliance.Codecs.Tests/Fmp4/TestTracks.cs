using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Tests.Avc;
using Appliance.Codecs.Tests.Hevc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>Tracks built from real configuration records (libx264/libx265 via ffmpeg 5.1), for the box tests.</summary>
internal static class TestTracks
{
    // An avcC around the 320x240 High profile SPS of H264SpsTests and a six-byte PPS: 42 bytes.
    public const string AvcRecord320x240 = "01 64 00 0D FF E1 0019 " + H264SpsTests.Sps320x240 + " 01 0006 68EBE3CB22C0";

    // AAC LC, 44.1 kHz, stereo.
    public const string AacLc44100Stereo = "1210";

    public static Fmp4Track Avc320x240(uint trackId = 1)
    {
        Assert.True(Fmp4Track.TryCreateAvc(trackId, Hex.Bytes(AvcRecord320x240), out var track, out var problem), problem);
        return track;
    }

    public static Fmp4Track Hevc1280x720(uint trackId = 1)
    {
        Assert.True(Fmp4Track.TryCreateHevc(trackId, Hex.Bytes(HevcDecoderConfigurationRecordTests.Record1280x720), out var track, out var problem), problem);
        return track;
    }

    public static Fmp4Track Aac(uint trackId = 2, string asc = AacLc44100Stereo)
    {
        Assert.True(Fmp4Track.TryCreateAac(trackId, Hex.Bytes(asc), out var track, out var problem), problem);
        return track;
    }
}
