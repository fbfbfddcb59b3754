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


    internal static void AssertConsecutive(SegmentWindow window)
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
