using System.Text;
using Appliance.Load.Viewers.LlHls;

namespace Appliance.Load.Tests.LlHls;

public class LowLatencyPlaylistTests
{
    // As the node writes video-ll.m3u8: parts of the last segments, the open segment's parts, the hint.
    internal const string Live = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.660,CAN-SKIP-UNTIL=12.000
        #EXT-X-PART-INF:PART-TARGET=0.220
        #EXT-X-MEDIA-SEQUENCE:40
        #EXT-X-MAP:URI="video-init-99b34760.mp4?s=1"
        #EXT-X-PROGRAM-DATE-TIME:2026-12-06T16:10:18.077Z
        #EXTINF:2.000,
        video-40.m4s?s=1
        #EXT-X-PROGRAM-DATE-TIME:2026-12-06T16:10:20.077Z
        #EXT-X-PART:DURATION=0.200,URI="video-41.0.m4s?s=1",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.200,URI="video-41.1.m4s?s=1"
        #EXT-X-PART:DURATION=0.180,URI="video-41.2.m4s?s=1"
        #EXTINF:0.580,
        video-41.m4s?s=1
        #EXT-X-PROGRAM-DATE-TIME:2026-12-06T16:10:20.657Z
        #EXT-X-PART:DURATION=0.200,URI="video-42.0.m4s?s=1",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.200,URI="video-42.1.m4s?s=1"
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="video-42.2.m4s?s=1"
        #EXT-X-RENDITION-REPORT:URI="audio-ll.m3u8?s=1",LAST-MSN=42,LAST-PART=1

        """;

    internal static LowLatencyPlaylist Read(string text, out string? problem)
    {
        var playlist = new LowLatencyPlaylist();
        playlist.Write(Encoding.UTF8.GetBytes(text));
        problem = playlist.Parse();
        return playlist;
    }

    private static string Uri(LowLatencyPlaylist playlist, int index) => Encoding.ASCII.GetString(playlist.UriOf(playlist.Parts[index]));

    [Fact]
    public void A_live_playlist_gives_its_segments_parts_hint_and_init()
    {
        var playlist = Read(Live, out var problem);

        Assert.Null(problem);
        Assert.Equal(2000, playlist.TargetDurationMs);
        Assert.Equal(220, playlist.PartTargetMs, 6);
        Assert.True(playlist.CanBlockReload);
        Assert.False(playlist.Ended);
        Assert.Equal(40, playlist.MediaSequence);
        Assert.Equal(2, playlist.CompleteSegments);
        Assert.Equal(41, playlist.LastComplete);
        Assert.Equal(42, playlist.OpenMsn);
        Assert.Equal(5, playlist.Parts.Count);
        Assert.Equal(new[] { (41L, 0), (41L, 1), (41L, 2), (42L, 0), (42L, 1) }, playlist.Parts.Select(p => (p.Msn, p.Index)));
        Assert.Equal(new[] { true, false, false, true, false }, playlist.Parts.Select(p => p.Independent));
        Assert.Equal(180, playlist.Parts[2].DurationMs, 6);
        Assert.Equal("video-41.2.m4s?s=1", Uri(playlist, 2));
        Assert.True(playlist.HasHint);
        Assert.Equal(2, playlist.HintIndex);
        Assert.Equal("video-42.2.m4s?s=1", Encoding.ASCII.GetString(playlist.HintUri));
        Assert.Equal("video-init-99b34760.mp4?s=1", Encoding.ASCII.GetString(playlist.MapUri));
    }

    [Fact]
    public void Parts_are_found_by_segment_and_index()
    {
        var playlist = Read(Live, out _);

        Assert.Equal(2, playlist.Find(41, 2));
        Assert.Equal(4, playlist.Find(42, 1));
        Assert.Equal(-1, playlist.Find(42, 2));
        Assert.Equal(-1, playlist.Find(40, 0));
        Assert.Equal(3, playlist.PartsOf(41));
        Assert.Equal(0, playlist.PartsOf(40));
    }

    [Fact]
    public void A_delta_update_counts_the_skipped_segments()
    {
        var playlist = Read(Live.Replace("#EXTINF:2.000,\nvideo-40.m4s?s=1\n", "#EXT-X-SKIP:SKIPPED-SEGMENTS=1\n", StringComparison.Ordinal), out var problem);

        Assert.Null(problem);
        Assert.Equal(41, playlist.LastComplete);
        Assert.Equal(2, playlist.Find(41, 2));
    }

    [Fact]
    public void A_segment_just_complete_leaves_the_hint_at_part_0_of_the_next()
    {
        var text = Live.Replace("#EXT-X-PART:DURATION=0.200,URI=\"video-42.0.m4s?s=1\",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.200,URI=\"video-42.1.m4s?s=1\"\n", "", StringComparison.Ordinal)
            .Replace("video-42.2.m4s", "video-42.0.m4s", StringComparison.Ordinal);

        var playlist = Read(text, out var problem);

        Assert.Null(problem);
        Assert.Equal(42, playlist.OpenMsn);
        Assert.Equal(0, playlist.HintIndex);
        Assert.Equal(0, playlist.PartsOf(42));
    }

    [Fact]
    public void An_ended_playlist_says_so()
    {
        var playlist = Read(Live + "#EXT-X-ENDLIST\n", out var problem);

        Assert.Null(problem);
        Assert.True(playlist.Ended);
    }

    [Fact]
    public void The_buffer_is_read_again_after_a_clear()
    {
        var playlist = Read(Live, out _);
        playlist.Clear();
        playlist.Write(Encoding.UTF8.GetBytes("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=0.5\n#EXT-X-MEDIA-SEQUENCE:7\n"));

        Assert.Null(playlist.Parse());
        Assert.Equal(4000, playlist.TargetDurationMs);
        Assert.Equal(7, playlist.OpenMsn);
        Assert.Empty(playlist.Parts);
        Assert.False(playlist.HasHint);
        Assert.True(playlist.MapUri.IsEmpty);
        Assert.False(playlist.CanBlockReload);
    }

    [Theory]
    [InlineData("", "does not start with #EXTM3U")]
    [InlineData("#EXT-X-TARGETDURATION:2\n", "does not start with #EXTM3U")]
    [InlineData("#EXTM3U\n#EXT-X-PART-INF:PART-TARGET=0.2\n", "no #EXT-X-TARGETDURATION")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.m4s\n", "not a low-latency playlist (no #EXT-X-PART-INF)")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nvideo-ll.m3u8\n", "a multivariant playlist where a media playlist was expected")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET=0.2\na.m4s\n", "a URI line without #EXTINF before it")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:x\n", "a bad #EXT-X-TARGETDURATION: #EXT-X-TARGETDURATION:x")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET=0\n", "a bad #EXT-X-PART-INF: #EXT-X-PART-INF:PART-TARGET=0")]
    [InlineData("#EXTM3U\n#EXT-X-PART:DURATION=0.2\n", "a bad #EXT-X-PART: #EXT-X-PART:DURATION=0.2")]
    [InlineData("#EXTM3U\n#EXT-X-PART:URI=\"a.m4s\"\n", "a bad #EXT-X-PART: #EXT-X-PART:URI=\"a.m4s\"")]
    [InlineData("#EXTM3U\n#EXT-X-PART:DURATION=-1,URI=\"a.m4s\"\n", "a bad #EXT-X-PART: #EXT-X-PART:DURATION=-1,URI=\"a.m4s\"")]
    [InlineData("#EXTM3U\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"a.m4s\n", "a bad #EXT-X-PRELOAD-HINT: #EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"a.m4s")]
    [InlineData("#EXTM3U\n#EXT-X-MAP:BYTERANGE=1\n", "a bad #EXT-X-MAP: #EXT-X-MAP:BYTERANGE=1")]
    [InlineData("#EXTM3U\n#EXTINF:2,\na.m4s\n#EXT-X-MEDIA-SEQUENCE:3\n", "a bad or late #EXT-X-MEDIA-SEQUENCE: #EXT-X-MEDIA-SEQUENCE:3")]
    [InlineData("#EXTM3U\n#EXT-X-SKIP:SKIPPED-SEGMENTS=-2\n", "a bad #EXT-X-SKIP: #EXT-X-SKIP:SKIPPED-SEGMENTS=-2")]
    public void A_playlist_it_cannot_follow_is_refused_saying_why(string text, string expected)
    {
        Read(text, out var problem);

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void An_attribute_is_found_only_at_the_start_of_the_list_or_after_a_comma_outside_quotes()
    {
        var line = "#EXT-X-PART:URI=\"a,DURATION=9.m4s\",DURATION=0.2"u8;

        Assert.True(LowLatencyPlaylist.TryAttribute(line, "DURATION="u8, out var value));
        Assert.Equal("0.2", Encoding.ASCII.GetString(value));
        Assert.True(LowLatencyPlaylist.TryQuoted(line, "URI="u8, out var offset, out var length));
        Assert.Equal("a,DURATION=9.m4s", Encoding.ASCII.GetString(line.Slice(offset, length)));
    }
}
