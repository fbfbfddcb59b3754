using Appliance.Codecs.MpegTs;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>Where HLS breaks its timeline: jumps in media time, a new codec configuration, a republish, a frame the muxer refuses.</summary>
public class HlsSegmenterBreakTests
{
    [Fact]
    public void ATimestampJumpForwardByMinutesCutsADiscontinuity()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(0, 6_000);
        hls.PublishMedia(180_000, 186_040);

        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(1, playlist.DiscontinuityTags);
        var afterJump = window.Segments.Single(s => s.Discontinuity);
        Assert.Equal(180_000, afterJump.StartMs);
        var beforeJump = window.Segments.Last(s => s.StartMs < 180_000);
        Assert.True(beforeJump.DurationMs <= 2000, $"the segment before the jump lasts {beforeJump.DurationMs} ms");
        Assert.Equal(2, playlist.TargetDuration);
        HlsSegmenterTests.AssertConsecutive(window);
        Assert.True(hls.Logs.Contains("HLS: timestamp jumped"), hls.Logs.Dump());
    }

    [Fact]
    public void ATimestampJumpBackwardByMinutesCutsOneDiscontinuityAndSegmentingContinues()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(180_000, 186_000);
        hls.PublishMedia(0, 8_040);

        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(1, playlist.DiscontinuityTags);
        Assert.Equal(2, playlist.TargetDuration);
        var afterJump = window.Segments.Single(s => s.Discontinuity);
        Assert.Equal(0, afterJump.StartMs);
        Assert.All(window.Segments, s => Assert.True(s.DurationMs <= 2000, $"segment {s.Sequence} lasts {s.DurationMs} ms"));
        HlsSegmenterTests.AssertConsecutive(window);
    }

    [Fact]
    public void TheDiscontinuitySequenceCountsDiscontinuitiesAsTheyScrollOff()
    {
        using var hls = new HlsHarness(app => app.Hls.WindowSegments = 3);
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        var seen = new Dictionary<long, bool>();
        var maxDiscontinuitySequence = 0L;

        void Step(long from, long to)
        {
            for (var t = from; t < to; t += 1000)
            {
                hls.PublishMedia(t, t + 1000);
                if (!window.HasPlaylist)
                {
                    continue;
                }
                var playlist = HlsHarness.Playlist(window);
                foreach (var entry in playlist.Entries)
                {
                    seen[entry.Sequence] = entry.Discontinuity;
                }
                var scrolledOff = seen.Count(kv => kv.Key < playlist.MediaSequence && kv.Value);
                Assert.Equal(scrolledOff, playlist.DiscontinuitySequence);
                maxDiscontinuitySequence = playlist.DiscontinuitySequence;
            }
        }

        Step(0, 6_000);
        Step(120_000, 126_000);
        Step(240_000, 246_000);
        Step(360_000, 372_000);

        Assert.Equal(3, seen.Count(kv => kv.Value));
        Assert.Equal(3, maxDiscontinuitySequence);
    }

    [Fact]
    public void ANewAvcSequenceHeaderWithDifferentBytesCutsADiscontinuity()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 5_000);
        // The same header again (encoders repeat it) is no new configuration.
        hls.Publish(hls.Frames.AvcSequenceHeader(5_000));
        hls.PublishMedia(5_000, 9_000);
        Assert.Equal(0, HlsHarness.Playlist(window).DiscontinuityTags);

        hls.Publish(TsMedia.OtherAvcSequenceHeader(hls.Frames, 9_000));
        hls.PublishMedia(9_000, 13_040);

        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(1, playlist.DiscontinuityTags);
        var after = window.Segments.Single(s => s.Discontinuity);
        Assert.Equal(9_000, after.StartMs);
        Assert.Equal(2, playlist.TargetDuration);
        HlsSegmenterTests.AssertConsecutive(window);
        // The keyframe after the change carries the new parameter sets in-band.
        var newPps = Payloads.AvcSequenceHeader()[^6..];
        newPps[^1] ^= 0x08;
        var (units, _) = TsMedia.Demux(after.File.Memory.Span);
        var key = units.First(u => u.StreamType == TsStreamType.H264);
        Assert.True(key.IsKeyFrame);
        Assert.True(key.Payload.Span.IndexOf(newPps) >= 0, "the new PPS is not in the first keyframe after the change");
    }

    [Fact]
    public void AFrameWithAMalformedNalLengthIsDroppedFromTsWhileTheNextFramesArePackaged()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 2_040);
        var packagedBefore = hls.TsPackager.FramesPackaged;
        Assert.Equal(0, hls.TsPackager.FramesDropped);

        var bad = TsMedia.BadNalLengthFrame(hls.Frames, 2_040);
        var good = TsMedia.InterFrame(hls.Frames, 2_080);
        bad.AddRef();
        good.AddRef();
        try
        {
            hls.Publish(bad);
            hls.Publish(good);
            Assert.False(bad.HasTs);
            Assert.True(good.HasTs);
        }
        finally
        {
            bad.Release();
            good.Release();
        }
        hls.PublishMedia(2_120, 6_040);

        Assert.Equal(1, hls.TsPackager.FramesDropped);
        Assert.True(hls.TsPackager.FramesPackaged > packagedBefore + 50);
        Assert.True(hls.Logs.Contains("NalLengthOverrun"), hls.Logs.Dump());
        Assert.Equal([0L, 1, 2], window.Segments.Select(s => s.Sequence));
        HlsHarness.Playlist(window);
        var (units, demuxer) = TsMedia.Demux(window.Segments[1].File.Memory.Span);
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits + demuxer.MalformedPes);
        // 2000..3960 without the frame at 2040 (and 2080 is there).
        var videoDts = units.Where(u => u.StreamType == TsStreamType.H264).Select(u => u.Dts / 90).ToList();
        Assert.DoesNotContain(2040L, videoDts);
        Assert.Contains(2080L, videoDts);
        Assert.Equal(49, videoDts.Count);
    }

    [Fact]
    public void ARepublishBreaksTheTimelineWithADiscontinuityAndNumberingContinues()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 60_000);
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 4_500);

        hls.Republish();
        hls.PublishHeaders();
        // The new encoder starts its clock at 0; the stream rebases it after the last frame.
        hls.PublishMedia(0, 6_040);

        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(1, playlist.DiscontinuityTags);
        var after = window.Segments.Single(s => s.Discontinuity);
        Assert.True(after.StartMs > 4_400 && after.StartMs < 4_600, $"the first segment after the republish starts at {after.StartMs}");
        Assert.Equal(2, playlist.TargetDuration);
        HlsSegmenterTests.AssertConsecutive(window);
        HlsSegmenterTests.AssertSegmentHoldsItsMedia(after, hasAudio: true);
    }
}
