using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>Where CMAF segments are cut and what they hold: the HLS-TS numbers, exact times, every frame once.</summary>
public class CmafSegmentTests
{
    private const long HourIn = 3_600_000;

    [Fact]
    public void Segments_have_the_numbers_starts_and_durations_of_the_TS_segments_of_the_same_frames()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(HourIn);
        var window = hls.Stream.RequestHls()!;
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(HourIn, HourIn + 12_040);

        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments;
        Assert.Equal([1800L, 1801, 1802, 1803, 1804, 1805], video.Select(s => s.Number));
        Assert.Equal(window.Segments.Select(s => (s.Sequence, s.StartMs, s.DurationMs)), video.Select(s => (s.Number, s.StartMs, s.DurationMs)));
        Assert.Equal(video.Select(s => s.Number), CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments.Select(s => s.Number));
    }

    [Fact]
    public void Decode_times_follow_the_source_timestamps_across_parts_and_segments_with_every_frame_once()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(HourIn);
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(HourIn, HourIn + 10_040);

        foreach (var (kind, timescale) in new[] { (Fmp4TrackKind.Video, 90_000u), (Fmp4TrackKind.Audio, 44_100u) })
        {
            var track = CmafFiles.Track(cmaf, kind);
            var frameKind = kind == Fmp4TrackKind.Video ? FrameKind.Video : FrameKind.Audio;
            var source = hls.Published.Where(p => p.Kind == frameKind).Select(p => p.Timestamp).ToList();
            var decoded = new List<ulong>();
            ulong? end = null;
            foreach (var segment in track.Segments)
            {
                var bytes = CmafFiles.Segment(cmaf, kind, segment.Number);
                var fragments = Fmp4Reader.Read(bytes);
                Assert.Equal(segment.Parts.Length, fragments.Count);
                Assert.Equal(fragments.Select((_, i) => i == 0), fragments.Select(f => f.HasSegmentType));
                Assert.Equal(CmafTrack.ToTimescale(segment.StartMs, timescale), (long)fragments[0].DecodeTime);
                foreach (var fragment in fragments)
                {
                    // Each part (and each segment) starts exactly where the one before ended.
                    Assert.Equal(end ?? fragment.DecodeTime, fragment.DecodeTime);
                    var at = fragment.DecodeTime;
                    foreach (var sample in fragment.Samples)
                    {
                        decoded.Add(at);
                        at += sample.Duration;
                    }
                    end = at;
                }
                Assert.Equal(CmafTrack.ToTimescale(segment.EndMs, timescale), (long)end!.Value);
                Assert.Equal(segment.Parts.Select(p => p.Samples), fragments.Select(f => f.Samples.Count));
                // A part fetched on its own is the same bytes as its range of the segment.
                var joined = segment.Parts.SelectMany(p => CmafFiles.Part(cmaf, kind, segment.Number, p.Index)).ToArray();
                Assert.Equal(bytes, joined);
            }
            var first = source.IndexOf(track.Segments[0].StartMs);
            Assert.True(first >= 0, $"{kind}: the first segment does not start at a frame");
            Assert.Equal(source.Skip(first).Take(decoded.Count).Select(ms => (ulong)CmafTrack.ToTimescale(ms, timescale)), decoded);
        }
    }

    [Fact]
    public void Audio_segment_N_starts_at_the_first_audio_frame_at_or_after_video_segment_N()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(HourIn);
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(HourIn, HourIn + 12_040);

        var audioFrames = hls.Published.Where(p => p.Kind == FrameKind.Audio).Select(p => p.Timestamp).ToList();
        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments.ToDictionary(s => s.Number);
        var audio = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments;
        Assert.Equal(6, audio.Length);
        Assert.All(audio, segment => Assert.Equal(audioFrames.First(ts => ts >= video[segment.Number].StartMs), segment.StartMs));
        // An audio segment ends where the next begins: together they hold every audio frame from the first cut.
        Assert.All(audio.Zip(audio.Skip(1)), pair => Assert.Equal(pair.First.EndMs, pair.Second.StartMs));
    }

    [Fact]
    public void Parts_start_independent_exactly_when_their_first_frame_is_a_keyframe()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;

        // A keyframe every 1.2 s: some parts start at one (0, 1200 ms in a 300 ms grid), some have one inside.
        hls.PublishMedia(0, 8_040, keyIntervalMs: 1200);

        var keys = hls.Published.Where(p => p.Kind == FrameKind.Video && p.Key).Select(p => p.Timestamp).ToHashSet();
        var track = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        var parts = track.Segments.SelectMany(s => s.Parts).ToList();
        Assert.Contains(parts, p => p.Independent && p.StartMs % 2000 != 0);
        Assert.Contains(parts, p => !p.Independent);
        Assert.All(parts, p => Assert.Equal(keys.Contains(p.StartMs), p.Independent));
        foreach (var segment in track.Segments)
        {
            // The playlist says it, and the bytes agree: the part's first sample is a sync sample.
            var fragments = Fmp4Reader.Read(CmafFiles.Segment(cmaf, Fmp4TrackKind.Video, segment.Number));
            Assert.Equal(segment.Parts.Select(p => p.Independent), fragments.Select(f => f.Samples[0].Sync));
            Assert.Equal(segment.Parts.Select(p => p.Independent), segment.Hls.Parts.Select(p => p.Independent));
        }
        Assert.All(CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments.SelectMany(s => s.Parts), p => Assert.True(p.Independent));
    }

    [Fact]
    public void No_part_is_longer_than_the_target_and_all_but_a_segments_last_fill_85_percent_of_it_at_29_97_fps()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(audio: false);
        var cmaf = hls.Stream.RequestCmaf()!;

        for (var frame = 0; frame < 30 * 20; frame++)
        {
            var ts = (long)Math.Round(frame * 1001 / 30.0);
            hls.Publish(frame % 60 == 0 ? TsMedia.KeyFrame(hls.Frames, ts) : TsMedia.InterFrame(hls.Frames, ts));
        }

        var segments = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments;
        Assert.True(segments.Length >= 8, $"{segments.Length} segments");
        Assert.All(segments.SelectMany(s => s.Parts), p => Assert.InRange(p.DurationMs, 1, cmaf.PartTargetMs));
        Assert.All(segments.SelectMany(s => s.Parts.SkipLast(1)), p => Assert.True(p.DurationMs * 100 >= cmaf.PartTargetMs * 85, $"a {p.DurationMs} ms part"));
        Assert.All(segments, s => Assert.Equal(s.DurationMs, s.Parts.Sum(p => p.DurationMs)));
    }

    [Fact]
    public void An_audio_only_stream_is_cut_on_its_audio_frames_with_the_TS_numbers()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(HourIn, video: false);
        var window = hls.Stream.RequestHls()!;
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishAudioOnly(HourIn, HourIn + 12_000);

        Assert.Null(cmaf.Snapshot.Video);
        var audio = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments;
        Assert.Equal(window.Segments.Select(s => s.Sequence), audio.Select(s => s.Number));
        // TS cuts at the first audio frame carrying the tables (every 100 ms); CMAF at any audio frame.
        Assert.All(audio.Zip(window.Segments), pair => Assert.InRange(pair.First.StartMs - pair.Second.StartMs, -100, 0));
        Assert.All(audio, s => Assert.Equal(s.Number * 2000, s.StartMs - (s.StartMs % 2000)));
        var variant = Assert.Single(cmaf.Snapshot.Multivariant.Variants);
        Assert.Equal(("audio.m3u8", "mp4a.40.2"), (variant.Uri, variant.Codecs));
        Assert.Empty(cmaf.Snapshot.Multivariant.Audio);
    }

    [Fact]
    public void A_video_only_stream_has_one_variant_without_an_audio_group()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders(audio: false);
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(0, 8_040, audio: false);

        Assert.Null(cmaf.Snapshot.Audio);
        var variant = Assert.Single(cmaf.Snapshot.Multivariant.Variants);
        Assert.Equal(("video.m3u8", "avc1.64001f", 1280, 720, (string?)null), (variant.Uri, variant.Codecs, variant.Width, variant.Height, variant.AudioGroupId));
        Assert.Equal((25, 1), (variant.FrameRateNumerator, variant.FrameRateDenominator));
        Assert.Equal([0L, 1, 2, 3], CmafFiles.Listed(cmaf, Fmp4TrackKind.Video));
    }
}
