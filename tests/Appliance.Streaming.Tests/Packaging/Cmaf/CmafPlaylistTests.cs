using System.Text;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>What the snapshots say for the HLS writers: parts, hints, reports, discontinuities, measured rates, blocking bounds.</summary>
public class CmafPlaylistTests
{
    [Fact]
    public void The_low_latency_playlist_lists_the_parts_in_progress_the_hint_and_the_other_tracks_position()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 6_720);
        var video = h.Packager.Snapshot.Video!;
        var audio = h.Packager.Snapshot.Audio!;

        var playlist = video.LowLatencyPlaylist;
        Assert.Equal((2000L, 300L), (playlist.TargetDurationMs, playlist.PartTargetMs));
        var open = playlist.Open!;
        Assert.Equal(3, open.Number);
        Assert.Equal(["video-3.0.m4s", "video-3.1.m4s"], open.Parts.Select(p => p.Uri));
        Assert.Equal([true, false], open.Parts.Select(p => p.Independent));
        Assert.Equal("video-3.2.m4s", open.PreloadHintUri);
        Assert.Equal(video.Segments[0].Init.Name, open.MapUri);
        Assert.Equal((3L, 1), (video.LastPartMsn, video.LastPart));
        var report = Assert.Single(playlist.RenditionReports);
        Assert.Equal(new HlsRenditionReport("audio-ll.m3u8", audio.LastPartMsn, audio.LastPart), report);
        Assert.Equal(new HlsRenditionReport("video-ll.m3u8", 3, 1), Assert.Single(audio.LowLatencyPlaylist.RenditionReports));
        // The plain playlist lists the same segments and nothing in progress.
        Assert.Equal(0, video.Playlist.PartTargetMs);
        Assert.Equal(playlist.Segments, video.Playlist.Segments);
        var text = Encoding.UTF8.GetString(HlsMediaPlaylistWriter.Write(playlist));
        Assert.Contains("#EXT-X-PART-INF:PART-TARGET=0.300\n", text);
        Assert.Contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video-3.2.m4s\"\n", text);
        Assert.DoesNotContain("#EXT-X-PART:", Encoding.UTF8.GetString(HlsMediaPlaylistWriter.Write(video.Playlist)));
    }

    [Fact]
    public void The_multivariant_playlist_carries_exact_codecs_the_SPS_size_and_measured_rates()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 12_040);
        var snapshot = h.Packager.Snapshot;

        var variant = Assert.Single(snapshot.LowLatencyMultivariant.Variants);
        Assert.Equal(("video-ll.m3u8", "avc1.64001f,mp4a.40.2", 1280, 720), (variant.Uri, variant.Codecs, variant.Width, variant.Height));
        Assert.Equal((25, 1, "audio"), (variant.FrameRateNumerator, variant.FrameRateDenominator, variant.AudioGroupId));
        var rendition = Assert.Single(snapshot.LowLatencyMultivariant.Audio);
        Assert.Equal(("audio", "audio-ll.m3u8", 2), (rendition.GroupId, rendition.Uri, rendition.Channels));
        Assert.Equal(("video.m3u8", "audio.m3u8"), (snapshot.Multivariant.Variants[0].Uri, snapshot.Multivariant.Audio[0].Uri));
        long Peak(CmafTrackSnapshot track) => track.Segments.TakeLast(6).Max(s => s.File.Length * 8 * 1000 / s.DurationMs);
        long Average(CmafTrackSnapshot track) => track.Segments.TakeLast(6).Sum(s => s.File.Length) * 8 * 1000 / track.Segments.TakeLast(6).Sum(s => s.DurationMs);
        Assert.Equal(Peak(snapshot.Video!) + Peak(snapshot.Audio!), variant.Bandwidth);
        Assert.Equal(Average(snapshot.Video!) + Average(snapshot.Audio!), variant.AverageBandwidth);
    }

    [Theory]
    [InlineData(1000, 30, 30, 1)]
    [InlineData(10_000, 240, 24, 1)]
    [InlineData(10_010, 240, 24000, 1001)]
    [InlineData(2002, 60, 30000, 1001)]
    [InlineData(2002, 48, 24000, 1001)]
    [InlineData(2000, 25, 25, 2)]
    [InlineData(1000, 0, 0, 1)]
    public void Frame_rates_are_measured_and_named_exactly_when_they_are_a_known_rate(long durationMs, long frames, int numerator, int denominator) =>
        Assert.Equal((numerator, denominator), CmafRates.FrameRate(frames, durationMs));

    [Fact]
    public void Discontinuities_that_scroll_off_are_counted_and_between_a_break_and_its_keyframe_the_hint_names_the_next_segment()
    {
        using var h = new PackagerHarness(windowSegments: 3, extraSegments: 0);
        h.Headers(audio: false);
        h.Media(0, 6_000, audio: false);
        h.Packager.Break();

        var open = h.Packager.Snapshot.Video!.LowLatencyPlaylist.Open!;
        Assert.Equal((3L, true, "video-3.0.m4s"), (open.Number, open.Discontinuity, open.PreloadHintUri));
        Assert.Empty(open.Parts);

        h.Media(6_000, 16_040, audio: false);

        var playlist = h.Packager.Snapshot.Video!.Playlist;
        Assert.Equal([5L, 6, 7], playlist.Segments.Select(s => s.Number));
        Assert.Equal(1, playlist.DiscontinuitySequence);
        Assert.Equal(1, h.Packager.Snapshot.Video.LowLatencyPlaylist.DiscontinuitySequence);
    }

    [Fact]
    public void A_keyframe_interval_longer_than_the_target_raises_the_playlists_target_and_says_so()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(0, 25_040, keyIntervalMs: 5000);

        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        Assert.All(video.Segments, s => Assert.Equal(5000, s.DurationMs));
        Assert.Equal(5000, video.LowLatencyPlaylist.TargetDurationMs);
        Assert.Equal(5, HlsMediaPlaylistWriter.TargetDurationSeconds(video.Playlist));
        Assert.True(hls.Logs.Contains("CMAF: a 5000 ms segment is longer than the 2000 ms target"), hls.Logs.Dump());
    }

    [Fact]
    public void Before_the_first_segment_the_playlists_are_empty_not_missing()
    {
        using var h = new PackagerHarness();
        h.Headers();

        var video = h.Packager.Snapshot.Video!;
        Assert.Empty(video.Playlist.Segments);
        Assert.Empty(video.LowLatencyPlaylist.Segments);
        Assert.False(h.Packager.Snapshot.IsReady);
        Assert.Null(h.Packager.Snapshot.Dash);
        Assert.Equal((-1L, -1L, -1), (video.LastComplete, video.LastPartMsn, video.LastPart));
    }

    [Theory]
    [InlineData(220, 13)]
    [InlineData(200, 15)]
    [InlineData(300, 10)]
    [InlineData(500, 6)]
    [InlineData(999, 3)]
    [InlineData(1000, 3)]
    [InlineData(2000, 3)]
    public void The_advance_part_limit_is_three_seconds_of_parts_below_one_second_parts_else_three(int partTargetMs, int limit) =>
        Assert.Equal(limit, CmafTrackSnapshot.AdvancePartLimitFor(partTargetMs));

    [Fact]
    public void A_blocking_request_too_far_ahead_is_told_apart_from_one_to_hold()
    {
        using var h = new PackagerHarness();
        h.Headers(audio: false);
        h.Media(0, 6_720, audio: false);
        var video = h.Packager.Snapshot.Video!;
        Assert.Equal((2L, 3L, 1), (video.LastComplete, video.LastPartMsn, video.LastPart));

        // 300 ms parts: RFC 8216bis 6.2.5.2's Advance Part Limit is 3 / 0.3 = 10 parts.
        Assert.Equal(10, video.AdvancePartLimit);
        Assert.False(video.IsTooFarAhead(4, -1));
        Assert.True(video.IsTooFarAhead(5, -1));
        Assert.False(video.IsTooFarAhead(3, 11));
        Assert.True(video.IsTooFarAhead(3, 12));
        Assert.False(video.IsTooFarAhead(4, 9));
        Assert.True(video.IsTooFarAhead(4, 10));
        Assert.False(video.IsTooFarAhead(0, 40));
        Assert.True(video.Has(3, 1) && !video.Has(3, 2) && video.Has(2, -1) && !video.Has(3, -1));
    }
}
