using Appliance.Streaming.Packaging;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Transport.Files;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>One stream's stored segments: pinning, eviction past the window, node-wide memory pressure, accounting.</summary>
public class SegmentWindowTests
{
    private const int SegmentBytes = 188 * 10;

    [Fact]
    public void EvictionKeepsTheListedWindowPlusTheExtrasAndFreesTheRest()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 3, extraSegments: 2);
        var added = new List<HlsSegment>();

        for (var sequence = 0; sequence < 10; sequence++)
        {
            added.Add(Segment(sequence));
            window.Add(added[^1], 2000);
        }

        Assert.Equal([5L, 6, 7, 8, 9], window.Segments.Select(s => s.Sequence));
        Assert.Equal(5, cache.Segments);
        Assert.Equal(5L * SegmentBytes, cache.Bytes);
        Assert.Equal(5, cache.Evictions);
        Assert.All(added.Take(5), s => Assert.Equal(0, s.File.RefCount));
        Assert.All(added.Skip(5), s => Assert.Equal(1, s.File.RefCount));
        var playlist = MediaPlaylist.Parse(window.Playlist);
        Assert.Equal(7, playlist.MediaSequence);
        Assert.Equal(["cam/7.ts", "cam/8.ts", "cam/9.ts"], playlist.Entries.Select(e => e.Uri));
    }

    [Fact]
    public void AnExtraSegmentIsStillServedAndAnEvictedOneIsAMiss()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 3, extraSegments: 2);
        for (var sequence = 0; sequence < 10; sequence++)
        {
            window.Add(Segment(sequence), 2000);
        }

        Assert.True(window.TryPin(5, out var extra));
        Assert.Equal(5, extra.Sequence);
        Assert.Equal(2, extra.File.RefCount);
        extra.File.Release();
        Assert.False(window.TryPin(4, out _));
        Assert.False(window.TryPin(10, out _));
        Assert.False(window.TryPin(-1, out _));

        Assert.Equal(1, cache.Hits);
        Assert.Equal(3, cache.Misses);
    }

    [Fact]
    public void APinnedSegmentOutlivesItsEvictionAndIsFreedByTheLastRelease()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 2, extraSegments: 0);
        var first = Segment(0, fill: 0x5A);
        window.Add(first, 2000);
        Assert.True(window.TryPin(0, out var pinned));

        window.Add(Segment(1), 2000);
        window.Add(Segment(2), 2000);

        Assert.DoesNotContain(window.Segments, s => s.Sequence == 0);
        Assert.Equal(1, pinned.File.RefCount);
        Assert.True(pinned.File.Memory.Span.IndexOfAnyExcept((byte)0x5A) < 0, "an evicted but pinned segment lost its bytes");
        pinned.File.Release();
        Assert.Equal(0, first.File.RefCount);
        Assert.Equal(2, cache.Segments);
    }

    [Fact]
    public void TryPinOnASegmentWhoseFileWasReleasedFails()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 3, extraSegments: 0);
        var segment = Segment(0);
        window.Add(segment, 2000);

        // The evictor's release, seen by a request that still reads the old snapshot.
        segment.File.Release();

        Assert.Contains(window.Segments, s => s.Sequence == 0);
        Assert.False(window.TryPin(0, out _));
        Assert.Equal(0, segment.File.RefCount);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void UnderMemoryPressureOnlyTheListedSegmentsAreKept()
    {
        var cache = new SegmentCache(maxBytes: 1);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 3, extraSegments: 4);

        for (var sequence = 0; sequence < 10; sequence++)
        {
            window.Add(Segment(sequence), 2000);
            Assert.Equal(Math.Min(sequence + 1, 3), window.Segments.Count);
        }

        Assert.Equal(3, MediaPlaylist.Parse(window.Playlist).Entries.Count);
        Assert.Equal(3, cache.Segments);
        Assert.Equal(7, cache.Evictions);
    }

    [Fact]
    public void NodeWidePressureFromAnotherStreamMakesAWindowGiveUpItsExtrasFirst()
    {
        // Room for six segments in all.
        var cache = new SegmentCache(6L * SegmentBytes);
        var a = new SegmentWindow(cache, "a/", listedSegments: 3, extraSegments: 2);
        var b = new SegmentWindow(cache, "b/", listedSegments: 3, extraSegments: 2);
        for (var sequence = 0; sequence < 5; sequence++)
        {
            a.Add(Segment(sequence), 2000);
        }
        Assert.Equal(5, a.Segments.Count);

        for (var sequence = 0; sequence < 5; sequence++)
        {
            b.Add(Segment(sequence), 2000);
        }
        // b arrived while the node was full: it keeps its listed three and no extras.
        Assert.Equal([2L, 3, 4], b.Segments.Select(s => s.Sequence));
        a.Add(Segment(5), 2000);

        Assert.Equal([3L, 4, 5], a.Segments.Select(s => s.Sequence));
        Assert.Equal(3, MediaPlaylist.Parse(a.Playlist).Entries.Count);
        Assert.Equal(3, MediaPlaylist.Parse(b.Playlist).Entries.Count);
        Assert.Equal(6, cache.Segments);
        Assert.Equal(6L * SegmentBytes, cache.Bytes);
    }

    [Fact]
    public void ClearReturnsEverySegmentToTheCacheAndFreesItsFile()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var window = new SegmentWindow(cache, "cam/", listedSegments: 3, extraSegments: 2);
        var added = Enumerable.Range(0, 4).Select(i => Segment(i)).ToList();
        foreach (var segment in added)
        {
            window.Add(segment, 2000);
        }
        Assert.Equal(4, cache.Segments);

        window.Clear();

        Assert.Equal(0, cache.Segments);
        Assert.Equal(0, cache.Bytes);
        Assert.Equal(0, cache.Evictions);
        Assert.Empty(window.Segments);
        Assert.False(window.HasPlaylist);
        Assert.All(added, s => Assert.Equal(0, s.File.RefCount));
        Assert.False(window.TryPin(3, out _));
    }

    [Fact]
    public void EndingAddsTheEndListAndAnswersAnyoneWaitingForTheFirstSegment()
    {
        var cache = new SegmentCache(512L * 1024 * 1024);
        var empty = new SegmentWindow(cache, "cam/", 3, 2);
        empty.End(2000);
        Assert.True(empty.Ready.IsCompletedSuccessfully);
        Assert.True(empty.Ended);

        var window = new SegmentWindow(cache, "cam/", 3, 2);
        window.Add(Segment(0), 2000);
        window.Add(Segment(1), 2000);
        window.End(2000);

        var playlist = MediaPlaylist.Parse(window.Playlist);
        Assert.True(playlist.Ended);
        Assert.Equal(2, playlist.Entries.Count);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist.Text);
    }

    private static HlsSegment Segment(long sequence, byte fill = 0x47)
    {
        using var writer = MemoryFileWriter.Create($"test-{sequence}");
        var bytes = new byte[SegmentBytes];
        bytes.AsSpan().Fill(fill);
        writer.Append(bytes);
        var file = writer.Complete();
        return new HlsSegment(sequence, sequence * 2000, 2000, false, DateTimeOffset.UnixEpoch.AddSeconds(sequence * 2), file);
    }
}
