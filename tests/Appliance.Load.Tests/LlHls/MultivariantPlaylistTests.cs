using System.Text;
using Appliance.Load.Viewers.LlHls;

namespace Appliance.Load.Tests.LlHls;

public class MultivariantPlaylistTests
{
    private static bool Parse(string text, out List<string> playlists, out bool isMedia, out string problem) =>
        MultivariantPlaylist.TryParse(Encoding.UTF8.GetBytes(text), out playlists, out isMedia, out problem);

    [Fact]
    public void The_first_variant_and_the_default_audio_of_its_group_are_followed()
    {
        const string text = """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="other",NAME="x",URI="other.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="en",DEFAULT=NO,URI="audio-en.m3u8?s=1"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="fr",DEFAULT=YES,URI="audio-ll.m3u8?s=1"
            #EXT-X-STREAM-INF:BANDWIDTH=3084658,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="audio"
            video-ll.m3u8?s=1
            #EXT-X-STREAM-INF:BANDWIDTH=1000000,AUDIO="other"
            low.m3u8
            """;

        Assert.True(Parse(text, out var playlists, out var isMedia, out var problem), problem);

        Assert.False(isMedia);
        Assert.Equal(["video-ll.m3u8?s=1", "audio-ll.m3u8?s=1"], playlists);
    }

    [Fact]
    public void Without_a_default_the_group_s_first_audio_is_followed()
    {
        const string text = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"1\",URI=\"one.m3u8\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"2\",URI=\"two.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\nv.m3u8\n";

        Assert.True(Parse(text, out var playlists, out _, out _));

        Assert.Equal(["v.m3u8", "one.m3u8"], playlists);
    }

    [Fact]
    public void Audio_muxed_in_the_variant_adds_no_playlist()
    {
        Assert.True(Parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", out var playlists, out _, out _));

        Assert.Equal(["v.m3u8"], playlists);
    }

    [Fact]
    public void A_media_playlist_is_recognised()
    {
        Assert.True(Parse(LowLatencyPlaylistTests.Live, out var playlists, out var isMedia, out _));

        Assert.True(isMedia);
        Assert.Empty(playlists);
    }

    [Theory]
    [InlineData("<html>", "does not start with #EXTM3U")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "#EXT-X-STREAM-INF without a URI line after it")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-MEDIA:TYPE=AUDIO\n", "#EXT-X-STREAM-INF without a URI line after it")]
    [InlineData("#EXTM3U\n#EXT-X-VERSION:9\n", "neither a multivariant playlist (no #EXT-X-STREAM-INF) nor a media playlist")]
    public void A_playlist_without_something_to_follow_is_refused_saying_why(string text, string expected)
    {
        Assert.False(Parse(text, out _, out _, out var problem));

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void An_attribute_value_may_hold_commas_in_quotes()
    {
        var line = "#EXT-X-STREAM-INF:CODECS=\"avc1.64001f,AUDIO=mp4a\",AUDIO=\"aud\"";

        Assert.Equal("aud", MultivariantPlaylist.Attribute(line, "AUDIO"));
        Assert.Equal("avc1.64001f,AUDIO=mp4a", MultivariantPlaylist.Attribute(line, "CODECS"));
        Assert.Null(MultivariantPlaylist.Attribute(line, "RESOLUTION"));
    }
}
