using System.Text;
using Appliance.Codecs.Hls;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Tests.Renditions;

public sealed class GroupPlaylistsTests
{
    private static readonly byte[] Stereo44k = [0x12, 0x10];
    private static readonly byte[] Mono48k = [0x11, 0x88];

    private static Rendition Video(string name, long peak, int width, int height, byte[]? audio = null) =>
        new(new StreamKey("default", "live", name))
        {
            PeakBitsPerSecond = peak,
            AverageBitsPerSecond = peak - 100_000,
            Width = width,
            Height = height,
            FrameRateNumerator = 25,
            Codecs = "avc1.64001e,mp4a.40.2",
            HasVideo = true,
            HasAudio = true,
            AudioConfig = audio ?? Stereo44k,
            AudioChannels = 2,
        };

    private static string Write(IReadOnlyList<HlsVariant> variants, IReadOnlyList<HlsAudioRendition> audio) =>
        Encoding.UTF8.GetString(HlsMultivariantPlaylistWriter.Write(variants, audio));

    [Fact]
    public void The_ts_multivariant_points_at_each_renditions_own_media_playlist_with_its_own_token()
    {
        var top = Video("cam", 1_200_000, 640, 360);
        var low = Video("cam_144p", 250_000, 256, 144);

        var text = Write(GroupPlaylists.Ts([low, top], r => $"hls_session=t-{r.Name}"), []);

        Assert.Equal(
            "#EXTM3U\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=250000,AVERAGE-BANDWIDTH=150000,CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=256x144,FRAME-RATE=25.000\n" +
            "../cam_144p.m3u8?hls_session=t-cam_144p\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=1100000,CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=25.000\n" +
            "../cam.m3u8?hls_session=t-cam\n",
            text);
    }

    [Fact]
    public void Names_are_escaped_and_an_open_app_adds_no_query()
    {
        var variants = GroupPlaylists.Ts([Video("cam live", 500_000, 640, 360)], _ => null);

        Assert.Equal("../cam%20live.m3u8", variants[0].Uri);
    }

    [Fact]
    public void Renditions_with_the_top_renditions_audio_share_one_audio_group_its_playlist()
    {
        var top = Video("cam", 1_200_000, 640, 360);
        var low = Video("cam_240p", 400_000, 426, 240);

        var multivariant = GroupPlaylists.Cmaf([low, top], top, lowLatency: false, r => $"hls_session=t-{r.Name}");
        var text = Write(multivariant.Variants, multivariant.Audio);

        Assert.Equal(
            "#EXTM3U\n" +
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"../cam/audio.m3u8?hls_session=t-cam\"\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=300000,CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=426x240,FRAME-RATE=25.000,AUDIO=\"audio\"\n" +
            "../cam_240p/video.m3u8?hls_session=t-cam_240p\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=1100000,CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO=\"audio\"\n" +
            "../cam/video.m3u8?hls_session=t-cam\n",
            text);
    }

    [Fact]
    public void A_rendition_whose_audio_differs_gets_an_audio_group_of_its_own()
    {
        var top = Video("cam", 1_200_000, 640, 360);
        var other = Video("cam_240p", 400_000, 426, 240, audio: Mono48k);

        var multivariant = GroupPlaylists.Cmaf([other, top], top, lowLatency: true, _ => null);

        Assert.Equal(["audio-cam_240p", "audio"], multivariant.Variants.Select(v => v.AudioGroupId));
        Assert.Equal(["../cam_240p/audio-ll.m3u8", "../cam/audio-ll.m3u8"], multivariant.Audio.Select(a => a.Uri));
        Assert.Equal(["../cam_240p/video-ll.m3u8", "../cam/video-ll.m3u8"], multivariant.Variants.Select(v => v.Uri));
    }

    [Fact]
    public void A_rendition_without_audio_names_no_audio_group()
    {
        var top = Video("cam", 1_200_000, 640, 360);
        var silent = Video("cam_240p", 400_000, 426, 240) with { HasAudio = false, AudioConfig = null, Codecs = "avc1.64001e" };

        var multivariant = GroupPlaylists.Cmaf([silent, top], top, lowLatency: false, _ => null);

        Assert.Null(multivariant.Variants[0].AudioGroupId);
        Assert.Equal("audio", multivariant.Variants[1].AudioGroupId);
        Assert.Single(multivariant.Audio);
    }
}
