using Appliance.Codecs.Hls;
using static Appliance.Codecs.Tests.Hls.HlsPlaylists;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>The multivariant playlist: an audio group and the variants that use it (RFC 8216bis 4.4.6.1, 4.4.6.2).</summary>
public class HlsMultivariantPlaylistWriterTests
{
    private static readonly HlsAudioRendition Audio = new("audio", "audio", "audio.m3u8") { Language = "en", Channels = 2 };

    [Fact]
    public void WritesTheAudioGroupAndEveryVariant()
    {
        HlsVariant[] variants =
        [
            new("video.m3u8", 2_128_000, "avc1.64001f,mp4a.40.2")
            {
                AverageBandwidth = 1_900_000, Width = 1280, Height = 720, FrameRateNumerator = 30000, FrameRateDenominator = 1001, AudioGroupId = "audio",
            },
            new("low/video.m3u8", 728_000, "avc1.42c01e,mp4a.40.2")
            {
                Width = 640, Height = 360, FrameRateNumerator = 25, AudioGroupId = "audio",
            },
        ];

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio.m3u8\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=2128000,AVERAGE-BANDWIDTH=1900000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO=\"audio\"",
            "video.m3u8",
            "#EXT-X-STREAM-INF:BANDWIDTH=728000,CODECS=\"avc1.42c01e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO=\"audio\"",
            "low/video.m3u8"), AsText(HlsMultivariantPlaylistWriter.Write(variants, [Audio])));
    }

    [Fact]
    public void AnAudioOnlyVariantHasNoResolutionOrFrameRate()
    {
        var text = AsText(HlsMultivariantPlaylistWriter.Write([new HlsVariant("audio.m3u8", 132_000, "mp4a.40.2")], []));

        Assert.Equal(Lines("#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=132000,CODECS=\"mp4a.40.2\"", "audio.m3u8"), text);
    }

    [Fact]
    public void ANonDefaultRenditionSaysSoAndTheSessionQueryGoesOnEveryUri()
    {
        var text = AsText(HlsMultivariantPlaylistWriter.Write(
            [new HlsVariant("video.m3u8?v=2", 1_000_000, "avc1.64001f,mp4a.40.2") { AudioGroupId = "audio" }],
            [Audio with { Default = false, Language = null, Channels = 0 }],
            "session=abc"));

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio\",DEFAULT=NO,AUTOSELECT=YES,URI=\"audio.m3u8?session=abc\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"audio\"",
            "video.m3u8?v=2&session=abc"), text);
    }

    [Fact]
    public void AQuotedValueThatWouldEndTheAttributeIsRefused()
    {
        Assert.Throws<ArgumentException>(() => HlsMultivariantPlaylistWriter.Write([], [Audio with { Name = "a\"b" }]));
        Assert.Throws<ArgumentException>(() => HlsMultivariantPlaylistWriter.Write([new HlsVariant("v.m3u8", 1, "avc1\n")], []));
    }
}
