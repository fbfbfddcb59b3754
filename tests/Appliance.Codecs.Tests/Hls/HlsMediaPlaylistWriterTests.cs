using Appliance.Codecs.Hls;
using static Appliance.Codecs.Tests.Hls.HlsPlaylists;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>The plain (not low-latency) CMAF media playlist: header, EXT-X-MAP, segments, discontinuities, end.</summary>
public class HlsMediaPlaylistWriterTests
{
    [Fact]
    public void WritesAPlainCmafPlaylist()
    {
        var playlist = new HlsMediaPlaylist(2000, 0, [Segment(7), Segment(8, 1960), Segment(9, 2040)]);

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-VERSION:6",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-MEDIA-SEQUENCE:7",
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:14.000Z",
            "#EXTINF:2.000,",
            "seg7.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:16.000Z",
            "#EXTINF:1.960,",
            "seg8.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:18.000Z",
            "#EXTINF:2.040,",
            "seg9.m4s"), AsText(HlsMediaPlaylistWriter.Write(playlist)));
    }

    [Fact]
    public void ADiscontinuityWithANewInitSegmentIsMarkedAndMappedAgain()
    {
        var playlist = new HlsMediaPlaylist(2000, 0,
            [Segment(3), Segment(4) with { Discontinuity = true, MapUri = "init-1.mp4" }, Segment(5, map: "init-1.mp4")])
        {
            DiscontinuitySequence = 2,
        };

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-VERSION:6",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-MEDIA-SEQUENCE:3",
            "#EXT-X-DISCONTINUITY-SEQUENCE:2",
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:06.000Z",
            "#EXTINF:2.000,",
            "seg3.m4s",
            "#EXT-X-DISCONTINUITY",
            "#EXT-X-MAP:URI=\"init-1.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:08.000Z",
            "#EXTINF:2.000,",
            "seg4.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:10.000Z",
            "#EXTINF:2.000,",
            "seg5.m4s"), AsText(HlsMediaPlaylistWriter.Write(playlist)));
    }

    [Fact]
    public void AnEndedStreamGetsTheEndList()
    {
        var text = AsText(HlsMediaPlaylistWriter.Write(new HlsMediaPlaylist(2000, 0, [Segment(0)]) { Ended = true }));

        Assert.EndsWith("seg0.m4s\n#EXT-X-ENDLIST\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000, 2499, 2)]  // 2.499 rounds to 2: the target holds
    [InlineData(2000, 2500, 3)]  // 2.5 rounds to 3: the target is raised, as every EXTINF rounded must fit
    [InlineData(400, 300, 1)]    // never below one second
    public void TheTargetDurationCoversEverySegmentRounded(long targetMs, long longestMs, long expected)
    {
        var playlist = new HlsMediaPlaylist(targetMs, 0, [Segment(0, 100), Segment(1, longestMs)]);

        Assert.Equal(expected, HlsMediaPlaylistWriter.TargetDurationSeconds(playlist));
        Assert.Contains($"\n#EXT-X-TARGETDURATION:{expected}\n", AsText(HlsMediaPlaylistWriter.Write(playlist)), StringComparison.Ordinal);
    }

    [Fact]
    public void APlainPlaylistIgnoresASkipRequestAndListsNoParts()
    {
        var playlist = new HlsMediaPlaylist(2000, 0, Segments(0, 10)) { Open = Open(10, 2) };

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist, HlsSkip.Yes));

        Assert.DoesNotContain("#EXT-X-SKIP", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-PART", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-PRELOAD-HINT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-SERVER-CONTROL", text, StringComparison.Ordinal);
        Assert.Contains("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSessionQueryGoesOnEveryUri()
    {
        var playlist = new HlsMediaPlaylist(2000, 0, [Segment(0) with { Uri = "seg0.m4s?v=1" }, Segment(1)]);

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist, HlsSkip.None, "session=abc"));

        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4?session=abc\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\nseg0.m4s?v=1&session=abc\n", text, StringComparison.Ordinal);
        Assert.Contains("\nseg1.m4s?session=abc\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seg\n0.m4s")]
    [InlineData("seg\"0.m4s")]
    public void AUriThatWouldBreakTheLineIsRefused(string uri)
    {
        var playlist = new HlsMediaPlaylist(2000, 0, [Segment(0) with { Uri = uri }]);

        Assert.Throws<ArgumentException>(() => HlsMediaPlaylistWriter.Write(playlist));
    }
}
