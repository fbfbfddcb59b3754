using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>What a file request finds: every status, the window's bounds, the node-wide cache, parts pinned across their segment's completion.</summary>
public class CmafFindTests
{
    [Fact]
    public void Each_name_finds_its_file_or_says_why_not()
    {
        using var h = new PackagerHarness();
        h.Headers(audio: false);
        h.Media(0, 6_400, audio: false);
        var video = h.Packager.Snapshot.Video!;
        Assert.Equal((3L, 0), (video.OpenNumber, video.LastPart));

        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, "video-2.m4s"));
        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, "video-2.7.m4s"));
        Assert.Equal(CmafFileStatus.PastEnd, CmafFiles.Status(h.Packager, "video-2.8.m4s"));
        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, "video-3.0.m4s"));
        // The preload hint and a couple of parts after it are held; further ones are refused at once.
        Assert.Equal(CmafFileStatus.NotYet, CmafFiles.Status(h.Packager, "video-3.1.m4s"));
        Assert.Equal(CmafFileStatus.NotYet, CmafFiles.Status(h.Packager, "video-3.3.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-3.4.m4s"));
        Assert.Equal(CmafFileStatus.NotYet, CmafFiles.Status(h.Packager, "video-4.0.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-4.3.m4s"));
        Assert.Equal(CmafFileStatus.NotYet, CmafFiles.Status(h.Packager, "video-3.m4s"));
        Assert.Equal(CmafFileStatus.NotYet, CmafFiles.Status(h.Packager, "video-4.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-5.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-99999.0.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "audio-2.m4s"));
        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, video.Segments[0].Init.Name));
        Assert.Equal(CmafFileStatus.Gone, CmafFiles.Status(h.Packager, "video-init-00000000.mp4"));

        var init = CmafFiles.Bytes(h.Packager, video.Segments[0].Init.Name);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(init, 4, 4));
        Assert.Equal(init.Length, (int)video.Segments[0].Init.File.Length);

        // The end completes segment 3 with what it has: 6000 to 6400 ms, in two parts.
        h.Packager.End();
        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, "video-3.1.m4s"));
        Assert.Equal(CmafFileStatus.PastEnd, CmafFiles.Status(h.Packager, "video-3.2.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-4.0.m4s"));
        Assert.Equal(CmafFileStatus.NotFound, CmafFiles.Status(h.Packager, "video-4.m4s"));
    }

    [Fact]
    public void The_window_keeps_its_listed_and_extra_segments_and_counts_them_in_the_cache()
    {
        using var h = new PackagerHarness(windowSegments: 3, extraSegments: 2, minSegments: 3);
        h.Headers();
        h.Media(0, 20_040);

        foreach (var kind in new[] { Fmp4TrackKind.Video, Fmp4TrackKind.Audio })
        {
            var track = h.Packager.Snapshot.Track(kind)!;
            Assert.Equal([5L, 6, 7, 8, 9], track.Segments.Select(s => s.Number));
            Assert.Equal([7L, 8, 9], track.Playlist.Segments.Select(s => s.Number));
            Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, CmafName.SegmentFile(kind, 5)));
            Assert.Equal(CmafFileStatus.Gone, CmafFiles.Status(h.Packager, CmafName.SegmentFile(kind, 4)));
            Assert.Equal(CmafFileStatus.Gone, CmafFiles.Status(h.Packager, CmafName.PartFile(kind, 4, 0)));
        }
        var kept = h.Packager.Snapshot.Video!.Segments.Concat(h.Packager.Snapshot.Audio!.Segments).ToList();
        Assert.Equal(10, h.Cache.Segments);
        Assert.Equal(kept.Sum(s => s.File.Length), h.Cache.Bytes);
        Assert.Equal(10, h.Cache.Evictions);

        h.Packager.Stop();
        Assert.Equal((0L, 0L), (h.Cache.Segments, h.Cache.Bytes));
        Assert.Equal(0, h.Frames.Pool.Outstanding);
    }

    [Fact]
    public void Over_the_node_wide_cap_a_stream_keeps_only_its_listed_segments()
    {
        using var h = new PackagerHarness(windowSegments: 3, extraSegments: 4, cacheBytes: 1);
        h.Headers();
        h.Media(0, 20_040);

        Assert.Equal([7L, 8, 9], h.Packager.Snapshot.Video!.Segments.Select(s => s.Number));
        Assert.Equal(6, h.Cache.Segments);
    }

    [Fact]
    public void An_init_no_kept_segment_needs_is_freed()
    {
        using var h = new PackagerHarness(windowSegments: 2, extraSegments: 0);
        h.Headers(audio: false);
        h.Media(0, 4_000, audio: false);
        var oldInit = h.Packager.Snapshot.Video!.Segments[0].Init;
        h.Feed(TsMedia.OtherAvcSequenceHeader(h.Frames, 4_000));
        h.Media(4_000, 6_040, audio: false);
        Assert.Equal(CmafFileStatus.Found, CmafFiles.Status(h.Packager, oldInit.Name));

        h.Media(6_040, 10_040, audio: false);

        Assert.DoesNotContain(h.Packager.Snapshot.Video!.Segments, s => ReferenceEquals(s.Init, oldInit));
        Assert.Equal(CmafFileStatus.Gone, CmafFiles.Status(h.Packager, oldInit.Name));
        Assert.Equal(0, oldInit.File.RefCount);
    }

    [Fact]
    public void A_part_pinned_while_its_segment_completes_keeps_its_bytes_and_is_then_served_from_the_segments_file()
    {
        using var h = new PackagerHarness();
        h.Headers(audio: false);
        h.Media(0, 4_400, audio: false);
        Assert.True(CmafName.TryParse("video-2.0.m4s", out var name));
        Assert.Equal(CmafFileStatus.Found, h.Packager.Find(name, out var pinned));
        Assert.NotNull(pinned.Buffer);
        var before = pinned.Buffer!.Span.ToArray();

        h.Media(4_400, 6_040, audio: false);

        Assert.Equal(before, pinned.Buffer.Span.ToArray());
        pinned.Release();
        Assert.Equal(CmafFileStatus.Found, h.Packager.Find(name, out var fromFile));
        Assert.NotNull(fromFile.File);
        Assert.Equal(before, fromFile.File!.Memory.Span.Slice((int)fromFile.Offset, (int)fromFile.Length).ToArray());
        fromFile.Release();
    }
}
