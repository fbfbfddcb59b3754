using Appliance.Codecs.Hls;
using static Appliance.Codecs.Tests.Hls.HlsPlaylists;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>The low-latency tags (RFC 8216bis): server control, part target, parts, preload hint, rendition reports.</summary>
public class HlsLowLatencyPlaylistTests
{
    [Fact]
    public void WritesTheLowLatencyTagsInTheirPlaces()
    {
        HlsPartialSegment[] TwoParts(long segment) =>
            [new(1000, $"part{segment}.0.m4s", Independent: true), new(1000, $"part{segment}.1.m4s", Independent: false)];
        var playlist = new HlsMediaPlaylist(2000, 1000, [Segment(0), Segment(1) with { Parts = TwoParts(1) }, Segment(2) with { Parts = TwoParts(2) }])
        {
            Open = Open(3, 0) with { Parts = [new(1000, "part3.0.m4s", Independent: true)], PreloadHintUri = "part3.1.m4s" },
            RenditionReports = [new HlsRenditionReport("audio.m3u8", 3, 0)],
        };

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-VERSION:9",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3.000,CAN-SKIP-UNTIL=12.000",
            "#EXT-X-PART-INF:PART-TARGET=1.000",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:00.000Z",
            "#EXTINF:2.000,",
            "seg0.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:02.000Z",
            "#EXT-X-PART:DURATION=1.000,URI=\"part1.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PART:DURATION=1.000,URI=\"part1.1.m4s\"",
            "#EXTINF:2.000,",
            "seg1.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:04.000Z",
            "#EXT-X-PART:DURATION=1.000,URI=\"part2.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PART:DURATION=1.000,URI=\"part2.1.m4s\"",
            "#EXTINF:2.000,",
            "seg2.m4s",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:06.000Z",
            "#EXT-X-PART:DURATION=1.000,URI=\"part3.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part3.1.m4s\"",
            "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=3,LAST-PART=0"), AsText(HlsMediaPlaylistWriter.Write(playlist)));
    }

    [Fact]
    public void PartsAreListedForTheSegmentsEndingWithinThreeTargetDurationsOfTheLiveEdge()
    {
        // Seven 2 s segments of ten parts and three parts of the eighth: the edge is 14.6 s in; segments
        // ending after 8.6 s (4, 5 and 6) keep their parts, segment 3 (ending at 8 s) does not.
        var playlist = new HlsMediaPlaylist(2000, 200, Segments(0, 7)) { Open = Open(7, 3) };

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist));

        Assert.DoesNotContain("part3.", text, StringComparison.Ordinal);
        foreach (var segment in new[] { 4, 5, 6 })
        {
            for (var part = 0; part < 10; part++)
            {
                Assert.Contains($"#EXT-X-PART:DURATION=0.200,URI=\"part{segment}.{part}.m4s\"{(part % 5 == 0 ? ",INDEPENDENT=YES" : "")}\n", text, StringComparison.Ordinal);
            }
        }
        Assert.EndsWith(Lines(
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:14.000Z",
            "#EXT-X-PART:DURATION=0.200,URI=\"part7.0.m4s\",INDEPENDENT=YES",
            "#EXT-X-PART:DURATION=0.200,URI=\"part7.1.m4s\"",
            "#EXT-X-PART:DURATION=0.200,URI=\"part7.2.m4s\"",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part7.3.m4s\""), text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=12.000\n#EXT-X-PART-INF:PART-TARGET=0.200\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ASegmentJustStartedStillGetsItsDiscontinuityMapAndHint()
    {
        // The open segment has no part yet; a player loading the hinted part must know it starts a new timeline.
        var playlist = new HlsMediaPlaylist(2000, 200, Segments(0, 2))
        {
            Open = Open(2, 0) with { Discontinuity = true, MapUri = "init-1.mp4" },
        };

        Assert.EndsWith(Lines(
            "seg1.m4s",
            "#EXT-X-DISCONTINUITY",
            "#EXT-X-MAP:URI=\"init-1.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:04.000Z",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part2.0.m4s\""), AsText(HlsMediaPlaylistWriter.Write(playlist)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEndedLowLatencyPlaylistHasNoHintButKeepsItsReports()
    {
        var playlist = new HlsMediaPlaylist(2000, 200, Segments(0, 2))
        {
            Open = Open(2, 3),
            RenditionReports = [new HlsRenditionReport("audio.m3u8", 1, 9)],
            Ended = true,
        };

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist));

        Assert.DoesNotContain("#EXT-X-PRELOAD-HINT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("part2.", text, StringComparison.Ordinal);
        Assert.EndsWith("seg1.m4s\n#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8\",LAST-MSN=1,LAST-PART=9\n#EXT-X-ENDLIST\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BeforeTheFirstSegmentCompletesTheSequenceIsTheOpenOnes()
    {
        var playlist = new HlsMediaPlaylist(2000, 200, []) { Open = Open(42, 1) };

        Assert.Contains("\n#EXT-X-MEDIA-SEQUENCE:42\n#EXT-X-MAP:URI=\"init.mp4\"\n", AsText(HlsMediaPlaylistWriter.Write(playlist)), StringComparison.Ordinal);
    }

    [Fact]
    public void AReportOfAnotherRenditionOfAGroupGoesWithoutTheSessionQuery()
    {
        var playlist = new HlsMediaPlaylist(2000, 200, Segments(0, 1, partsEach: 1))
        {
            Open = Open(1, 1),
            RenditionReports = [new HlsRenditionReport("audio.m3u8", 1, 0), new HlsRenditionReport("../cam_240p/video-ll.m3u8", 1, 3) { WithoutQuery = true }],
        };

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist, HlsSkip.None, "s=t0k"));

        Assert.EndsWith(
            "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8?s=t0k\",LAST-MSN=1,LAST-PART=0\n" +
            "#EXT-X-RENDITION-REPORT:URI=\"../cam_240p/video-ll.m3u8\",LAST-MSN=1,LAST-PART=3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSessionQueryGoesOnPartsHintMapAndReports()
    {
        var playlist = new HlsMediaPlaylist(2000, 200, Segments(0, 1, partsEach: 1))
        {
            Open = Open(1, 1),
            RenditionReports = [new HlsRenditionReport("audio.m3u8", 1, 0)],
        };

        var text = AsText(HlsMediaPlaylistWriter.Write(playlist, HlsSkip.None, "s=t0k"));

        Assert.Equal(Lines(
            "#EXTM3U",
            "#EXT-X-VERSION:9",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=12.000",
            "#EXT-X-PART-INF:PART-TARGET=0.200",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-MAP:URI=\"init.mp4?s=t0k\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:00.000Z",
            "#EXT-X-PART:DURATION=0.200,URI=\"part0.0.m4s?s=t0k\",INDEPENDENT=YES",
            "#EXTINF:2.000,",
            "seg0.m4s?s=t0k",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:02.000Z",
            "#EXT-X-PART:DURATION=0.200,URI=\"part1.0.m4s?s=t0k\",INDEPENDENT=YES",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part1.1.m4s?s=t0k\"",
            "#EXT-X-RENDITION-REPORT:URI=\"audio.m3u8?s=t0k\",LAST-MSN=1,LAST-PART=0"), text);
    }
}
