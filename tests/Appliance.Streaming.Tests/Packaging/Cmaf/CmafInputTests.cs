using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>Input the packager refuses or works around: unusable headers, other codecs, no keyframes, gaps. One log line each, the rest goes on.</summary>
public class CmafInputTests
{
    private static readonly byte[] TruncatedAvcHeader = [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00];

    [Fact]
    public void An_unusable_video_header_leaves_the_video_out_with_one_log_line_and_the_audio_is_packaged_alone()
    {
        using var h = new PackagerHarness();
        h.Feed(h.Frames.Make(FrameKind.Video, 0, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, TruncatedAvcHeader));
        h.Feed(h.Frames.Make(FrameKind.Video, 0, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, TruncatedAvcHeader));
        h.Headers(video: false);

        h.Media(0, 8_040);

        Assert.Null(h.Packager.Snapshot.Video);
        Assert.Equal([0L, 1, 2, 3], h.Packager.Snapshot.Audio!.Segments.Select(s => s.Number));
        Assert.Single(h.Logs.Lines, l => l.Message.Contains("CMAF: video sequence header refused", StringComparison.Ordinal)
            && l.Message.Contains("left out of CMAF until a valid one arrives", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unusable_header_after_a_good_one_is_logged_and_the_good_one_stays_in_use_without_a_break()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 3_000);

        h.Feed(h.Frames.Make(FrameKind.Video, 3_000, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, TruncatedAvcHeader));
        h.Media(3_000, 8_040);

        var video = h.Packager.Snapshot.Video!;
        Assert.Equal([0L, 1, 2, 3], video.Segments.Select(s => s.Number));
        Assert.DoesNotContain(video.Segments, s => s.Discontinuity);
        Assert.Single(video.Segments.Select(s => s.Init).Distinct());
        Assert.True(h.Logs.Contains("the previous one stays in use"), h.Logs.Dump());
    }

    [Fact]
    public void Video_in_a_codec_CMAF_does_not_carry_is_left_out_with_one_warning()
    {
        using var h = new PackagerHarness();
        h.Headers(video: false);
        for (var ts = 0L; ts < 6_040; ts += 40)
        {
            // VP6 (FLV codec 4): a keyframe now and then.
            h.Feed(h.Frames.Make(FrameKind.Video, ts, ts % 1000 == 0 ? FrameFlags.KeyFrame : FrameFlags.None, [ts % 1000 == 0 ? (byte)0x14 : (byte)0x24, 0, 1, 2, 3]));
        }
        h.Media(0, 6_040, video: false);

        Assert.Null(h.Packager.Snapshot.Video);
        Assert.Equal([0L, 1, 2], h.Packager.Snapshot.Audio!.Segments.Select(s => s.Number));
        Assert.Single(h.Logs.Lines, l => l.Message.Contains("CMAF: video codec Vp6 is not packaged here", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_keyframes_a_segment_is_cut_every_four_targets_and_says_so()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(0, 20_000, isKey: ts => ts == 0);

        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments;
        Assert.Equal([(0L, 8_000L), (8_000L, 8_000L)], video.Select(s => (s.StartMs, s.DurationMs)));
        Assert.False(video[1].Parts[0].Independent);
        Assert.True(hls.Logs.Contains("CMAF: no keyframe for 8000 ms"), hls.Logs.Dump());
    }

    [Fact]
    public void After_audio_missing_through_whole_segments_the_audio_numbers_stay_consecutive_and_the_shift_is_logged()
    {
        using var h = new PackagerHarness();
        h.Headers();
        h.Media(0, 4_000);
        h.Media(4_000, 8_040, audio: false);
        h.Media(8_040, 12_040);

        var audio = h.Packager.Snapshot.Audio!.Segments.Select(s => s.Number).ToList();
        Assert.Equal(Enumerable.Range(0, audio.Count).Select(i => (long)i), audio);
        Assert.True(h.Logs.Contains("CMAF: audio segment 2 goes with video segment 4"), h.Logs.Dump());
    }

    [Fact]
    public void A_source_that_stamps_every_frame_alike_still_gets_its_parts_closed()
    {
        using var h = new PackagerHarness();
        h.Headers(audio: false);
        h.Feed(TsMedia.KeyFrame(h.Frames, 0));
        for (var i = 0; i < 1100; i++)
        {
            h.Feed(TsMedia.InterFrame(h.Frames, 0, size: 8));
        }

        var video = h.Packager.Snapshot.Video!;
        Assert.Equal((0L, 0), (video.LastPartMsn, video.LastPart));
        var part = Fmp4Reader.Read(CmafFiles.Part(h.Packager, Fmp4TrackKind.Video, 0, 0)).Single();
        Assert.Equal(1023, part.Samples.Count);
        Assert.All(part.Samples, s => Assert.Equal(0u, s.Duration));
    }

    [Fact]
    public void A_wait_for_a_negative_part_is_a_programming_error()
    {
        using var h = new PackagerHarness();

        Assert.Throws<ArgumentOutOfRangeException>(() => h.Packager.WaitForPartAsync(Fmp4TrackKind.Video, 1, -1));
    }
}
