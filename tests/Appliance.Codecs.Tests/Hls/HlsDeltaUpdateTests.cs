using Appliance.Codecs.Hls;
using static Appliance.Codecs.Tests.Hls.HlsPlaylists;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>Playlist delta updates (_HLS_skip, RFC 8216bis 6.2.5.1): EXT-X-SKIP replaces what lies beyond the skip boundary.</summary>
public class HlsDeltaUpdateTests
{
    // Twelve 2 s segments (0..11) and two parts of the thirteenth: the edge is 24.4 s in and the skip
    // boundary (CAN-SKIP-UNTIL, six targets) 12 s, so segments ending by 12.4 s (0..5) are skipped.
    private static readonly HlsMediaPlaylist Playlist = new(2000, 200, Segments(0, 12)) { Open = Open(12, 2) };

    [Fact]
    public void SkipYesReplacesTheSegmentsBeyondTheSkipBoundary()
    {
        var text = AsText(HlsMediaPlaylistWriter.Write(Playlist, HlsSkip.Yes));

        Assert.StartsWith(Lines(
            "#EXTM3U",
            "#EXT-X-VERSION:9",
            "#EXT-X-TARGETDURATION:2",
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=12.000",
            "#EXT-X-PART-INF:PART-TARGET=0.200",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-SKIP:SKIPPED-SEGMENTS=6",
            // The map is written again where the listing resumes, so the first listed segment has one.
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-PROGRAM-DATE-TIME:2025-03-01T12:00:12.000Z",
            "#EXTINF:2.000,",
            "seg6.m4s"), text, StringComparison.Ordinal);
        for (var skipped = 0; skipped < 6; skipped++)
        {
            Assert.DoesNotContain($"seg{skipped}.m4s", text, StringComparison.Ordinal);
        }
        Assert.EndsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part12.2.m4s\"\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeltaListsTheSameTailAsTheFullPlaylist()
    {
        var full = AsText(HlsMediaPlaylistWriter.Write(Playlist));
        var delta = AsText(HlsMediaPlaylistWriter.Write(Playlist, HlsSkip.Yes));

        var tail = delta[delta.IndexOf("#EXT-X-PROGRAM-DATE-TIME", StringComparison.Ordinal)..];
        Assert.EndsWith(tail, full, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipV2AlsoSaysNoDateRangeWasRemoved()
    {
        var text = AsText(HlsMediaPlaylistWriter.Write(Playlist, HlsSkip.V2));

        Assert.Contains("\n#EXT-X-SKIP:SKIPPED-SEGMENTS=6,RECENTLY-REMOVED-DATERANGES=\"\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\n#EXT-X-VERSION:9\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithNothingBeyondTheBoundaryTheWholePlaylistIsWritten()
    {
        var shortPlaylist = new HlsMediaPlaylist(2000, 200, Segments(0, 6)) { Open = Open(6, 1) };

        Assert.Equal(HlsMediaPlaylistWriter.Write(shortPlaylist), HlsMediaPlaylistWriter.Write(shortPlaylist, HlsSkip.Yes));
    }

    [Fact]
    public void ASegmentEndingOnTheBoundaryIsSkippedAndOneEndingInsideItIsKept()
    {
        // Segments 0..4 of 2 s, 5 of 2.4 s (ending at 12.4 s), 6..11 of 2 s: the edge is at 24.4 s with no
        // part open, so segment 5 ends exactly twelve seconds (the boundary) before it and goes.
        HlsMediaSegment[] segments = [.. Segments(0, 5), Segment(5, 2400, parts: 10), .. Segments(6, 6)];
        var onTheBoundary = new HlsMediaPlaylist(2000, 200, segments) { Open = Open(12, 0) };
        Assert.Contains("\n#EXT-X-SKIP:SKIPPED-SEGMENTS=6\n", AsText(HlsMediaPlaylistWriter.Write(onTheBoundary, HlsSkip.Yes)), StringComparison.Ordinal);

        // With segment 11 a tenth of a second shorter, segment 5 ends inside the boundary and stays.
        segments[^1] = Segment(11, 1900, parts: 10);
        var inside = onTheBoundary with { Segments = segments };
        var text = AsText(HlsMediaPlaylistWriter.Write(inside, HlsSkip.Yes));
        Assert.Contains("\n#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n", text, StringComparison.Ordinal);
        Assert.Contains("\n#EXTINF:2.400,\nseg5.m4s\n", text, StringComparison.Ordinal);
    }
}
