using Appliance.Codecs.MpegTs;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>How a stream's frames become HLS segments: cut points, durations, numbering, the target duration.</summary>
public class HlsSegmenterTests
{
    [Fact]
    public void SegmentsAreCutAtTheFirstKeyframeOnceTheTargetIsReached()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(0, 10_040);

        Assert.Equal([0L, 1, 2, 3, 4], window.Segments.Select(s => s.Sequence));
        Assert.Equal([0L, 2000, 4000, 6000, 8000], window.Segments.Select(s => s.StartMs));
        Assert.All(window.Segments, s => Assert.Equal(2000, s.DurationMs));
        Assert.All(window.Segments, s => Assert.False(s.Discontinuity));
        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(2, playlist.TargetDuration);
        Assert.Equal(0, playlist.MediaSequence);
        Assert.Equal(["cam/0.ts", "cam/1.ts", "cam/2.ts", "cam/3.ts", "cam/4.ts"], playlist.Entries.Select(e => e.Uri));
        Assert.All(playlist.Entries, e => Assert.Equal(2.0, e.Duration));
        Assert.Equal(0, playlist.DiscontinuityTags);
        Assert.False(playlist.Ended);
        foreach (var segment in window.Segments)
        {
            AssertSegmentHoldsItsMedia(segment, hasAudio: true);
        }
    }

    [Fact]
    public void HlsStartedMidStreamCutsTheHistoryTheLogHoldsAtOnce()
    {
        using var hls = new HlsHarness(app => app.Hls.MinSegments = 1);
        hls.PublishHeaders();
        hls.PublishMedia(0, 3_520);

        var window = hls.Stream.RequestHls()!;

        // The log still holds everything from the keyframe at 0: one complete segment at once, so a
        // player's first playlist is not empty.
        Assert.True(window.Ready.IsCompleted);
        var first = Assert.Single(window.Segments);
        Assert.Equal((0L, 0L, 2000L), (first.Sequence, first.StartMs, first.DurationMs));
        AssertSegmentHoldsItsMedia(first, hasAudio: true);
        hls.PublishMedia(3_520, 4_040);
        Assert.Equal([0L, 1], window.Segments.Select(s => s.Sequence));
        AssertSegmentHoldsItsMedia(window.Segments[1], hasAudio: true);
    }

    [Fact]
    public void HlsStartedLateBeginsAtAKeyframeWithinTheLogsLagBound()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        hls.PublishMedia(0, 20_040);

        var window = hls.Stream.RequestHls()!;

        Assert.NotEmpty(window.Segments);
        var first = window.Segments[0];
        Assert.InRange(first.StartMs, 20_000 - hls.App.MaxViewerLagMs - 1000, 18_000);
        Assert.All(window.Segments, s => Assert.Equal(2000, s.DurationMs));
        AssertConsecutive(window);
        foreach (var segment in window.Segments)
        {
            AssertSegmentHoldsItsMedia(segment, hasAudio: true);
        }
        HlsHarness.Playlist(window);
    }

    [Fact]
    public void TwoNodesPackagingTheSameStreamNameTheirSegmentsAlike()
    {
        using var early = new HlsHarness();
        using var late = new HlsHarness();
        early.PublishHeaders();
        late.PublishHeaders();
        var earlyWindow = early.Stream.RequestHls()!;
        early.PublishMedia(0, 19_040);
        late.PublishMedia(0, 19_040);
        // The second node's first player asks 19 s in: its log holds from about 14 s, so it starts at the keyframe at 15 s.
        var lateWindow = late.Stream.RequestHls()!;

        early.PublishMedia(19_040, 30_040);
        late.PublishMedia(19_040, 30_040);

        var earlyByNumber = earlyWindow.Segments.ToDictionary(s => s.Sequence, s => (s.StartMs, s.DurationMs));
        var common = lateWindow.Segments.Where(s => earlyByNumber.ContainsKey(s.Sequence)).ToList();
        Assert.NotEmpty(common);
        Assert.All(common, s => Assert.Equal(earlyByNumber[s.Sequence], (s.StartMs, s.DurationMs)));
    }

    [Fact]
    public void AKeyframeIntervalLongerThanTheTargetRaisesTheTargetDuration()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(0, 25_040, keyIntervalMs: 5000);

        Assert.Equal([5000L, 5000, 5000, 5000, 5000], window.Segments.Select(s => s.DurationMs));
        var playlist = HlsHarness.Playlist(window);
        Assert.Equal(5, playlist.TargetDuration);
        Assert.All(playlist.Entries, e => Assert.True(e.Duration <= playlist.TargetDuration));
        Assert.True(hls.Logs.Contains("target raised to 5000 ms"), hls.Logs.Dump());
    }

    [Fact]
    public void KeyframesAFewMillisecondsOffTheSecondKeepSegmentsNearTheTarget()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(audio: false);
        var window = hls.Stream.RequestHls()!;

        // 29.97 fps, a keyframe every 30 frames (1001 ms): the usual NTSC encoder setting.
        for (var frame = 0; frame < 30 * 40; frame++)
        {
            var ts = (long)Math.Round(frame * 1001 / 30.0);
            hls.Publish(frame % 30 == 0 ? TsMedia.KeyFrame(hls.Frames, ts) : TsMedia.InterFrame(hls.Frames, ts));
        }

        var playlist = HlsHarness.Playlist(window);
        Assert.True(window.Segments.Count >= 10, $"{window.Segments.Count} segments in 40 s: {string.Join(", ", window.Segments.Select(s => s.DurationMs))}");
        Assert.All(window.Segments, s => Assert.InRange(s.DurationMs, 2000, 3100));
        Assert.InRange(playlist.TargetDuration, 2, 3);
    }

    [Fact]
    public void AudioOnlySegmentsStayNearTheTarget()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(video: false);
        var window = hls.Stream.RequestHls()!;

        hls.PublishAudioOnly(0, 40_000);

        var playlist = HlsHarness.Playlist(window);
        // The window keeps 6 listed + 4 extra segments: a full window of ~2 s segments.
        Assert.True(window.Segments.Count == 10, $"{window.Segments.Count} segments in 40 s: {string.Join(", ", window.Segments.Select(s => s.DurationMs))}");
        Assert.All(window.Segments, s => Assert.InRange(s.DurationMs, 1900, 2200));
        Assert.InRange(playlist.TargetDuration, 2, 3);
    }

    [Fact]
    public void AudioOnlyStreamsAreCutAtAudioFramesThatCarryTheTables()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(video: false);
        var window = hls.Stream.RequestHls()!;

        hls.PublishAudioOnly(0, 12_000);

        Assert.True(window.Segments.Count >= 2, $"{window.Segments.Count} segments in 12 s of audio");
        Assert.Equal(window.Segments[0].Sequence, window.Segments.Select(s => s.Sequence).Min());
        HlsHarness.Playlist(window);
        foreach (var segment in window.Segments)
        {
            Assert.True(segment.DurationMs is >= 1900 and <= 2200, $"segment {segment.Sequence} is {segment.DurationMs} ms");
            var (units, demuxer) = TsMedia.Demux(segment.File.Memory.Span);
            Assert.True(TsMedia.StartsWithPat(segment.File.Memory.Span));
            Assert.Equal([TsStreamType.AacAdts], demuxer.Streams.Select(s => s.StreamType));
            Assert.NotEmpty(units);
            Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits);
        }
        AssertConsecutive(window);
    }

    [Fact]
    public void WithoutKeyframesSegmentsAreStillCutAndThePlaylistStaysValid()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        // One keyframe, then 30 s of inter frames only.
        hls.PublishMedia(0, 30_000, isKey: ts => ts == 0);

        Assert.NotEmpty(window.Segments);
        // Cut at the first frame after 4 targets that starts with the PAT (the tables come every ~100 ms).
        Assert.InRange(window.Segments[0].DurationMs, 8000, 8200);
        var playlist = HlsHarness.Playlist(window);
        Assert.True(playlist.TargetDuration >= 8);
        Assert.True(hls.Logs.Contains("no keyframe for 8"), hls.Logs.Dump());
        AssertConsecutive(window);
    }

    [Fact]
    public void WithoutKeyframesASegmentIsCutEveryFourTargets()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(0, 30_000, isKey: ts => ts == 0);

        // Cuts at 8, 16 and 24 s: four times the configured 2 s target.
        Assert.Equal(3, window.Segments.Count);
        Assert.All(window.Segments, s => Assert.InRange(s.DurationMs, 8000, 8200));
        HlsHarness.Playlist(window);
    }

    [Fact]
    public void ASegmentCutWithoutAKeyframeStillStartsWithThePatAndPmt()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 10_040, isKey: ts => ts == 0);

        hls.Stream.End();

        Assert.Equal(2, window.Segments.Count);
        Assert.Equal(0, window.Segments[0].StartMs);
        Assert.InRange(window.Segments[1].StartMs, 8000, 8200);
        Assert.All(window.Segments, s => Assert.True(TsMedia.StartsWithPat(s.File.Memory.Span), $"segment {s.Sequence} starts with {Convert.ToHexString(s.File.Memory.Span[..4])}"));
    }

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
        AssertConsecutive(window);
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
        AssertConsecutive(window);
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
        AssertConsecutive(window);
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
        AssertConsecutive(window);
        AssertSegmentHoldsItsMedia(after, hasAudio: true);
    }

    private static void AssertConsecutive(SegmentWindow window)
    {
        var sequences = window.Segments.Select(s => s.Sequence).ToList();
        for (var i = 1; i < sequences.Count; i++)
        {
            Assert.Equal(sequences[i - 1] + 1, sequences[i]);
        }
    }

    /// <summary>The segment starts with PAT and PMT, then a keyframe at its start time; its media lies within it.</summary>
    internal static void AssertSegmentHoldsItsMedia(HlsSegment segment, bool hasAudio)
    {
        var bytes = segment.File.Memory.Span;
        Assert.Equal(0, bytes.Length % TsPacket.Size);
        Assert.True(TsMedia.StartsWithPat(bytes), $"segment {segment.Sequence} does not start with a PAT");
        var (units, demuxer) = TsMedia.Demux(bytes);
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits + demuxer.MalformedPes + demuxer.CrcErrors);
        var video = units.Where(u => u.StreamType == TsStreamType.H264).ToList();
        Assert.NotEmpty(video);
        Assert.True(video[0].IsKeyFrame, $"segment {segment.Sequence} does not start with a keyframe");
        Assert.Equal(segment.StartMs * 90, video[0].Dts);
        Assert.All(video, u => Assert.InRange(u.Dts, segment.StartMs * 90, (segment.StartMs + segment.DurationMs) * 90 - 1));
        if (hasAudio)
        {
            Assert.Contains(units, u => u.StreamType == TsStreamType.AacAdts);
        }
    }
}
