using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>Where the CMAF timeline breaks (republish, jump, new codec configuration) and where it must not (a seamless failover).</summary>
public class CmafBreakTests
{
    [Fact]
    public void A_republish_cuts_a_discontinuity_on_both_tracks_at_the_segment_TS_cuts_it_and_numbering_goes_on()
    {
        using var hls = new HlsHarness(app => app.PublisherGraceMs = 60_000);
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        var cmaf = hls.Stream.RequestCmaf()!;
        hls.PublishMedia(0, 4_500);

        hls.Republish();
        hls.PublishHeaders();
        hls.PublishMedia(0, 6_040);

        foreach (var kind in new[] { Fmp4TrackKind.Video, Fmp4TrackKind.Audio })
        {
            var segments = CmafFiles.Track(cmaf, kind).Segments;
            var after = Assert.Single(segments, s => s.Discontinuity);
            Assert.Equal(window.Segments.Single(s => s.Discontinuity).Sequence, after.Number);
            Assert.InRange(after.StartMs, 4_400, 4_600);
            Assert.Equal(Enumerable.Range((int)segments[0].Number, segments.Length).Select(n => (long)n), segments.Select(s => s.Number));
            // The last frame before the break lasts as long as the one before it (nothing follows it on its timeline).
            var before = segments.Last(s => s.Number < after.Number);
            Assert.InRange(before.EndMs, 4_480 + 1, 4_520);
            Assert.Equal(1, CountTag(cmaf.Snapshot.Track(kind)!.LowLatencyPlaylist.Segments.Select(s => s.Discontinuity)));
        }
        var dash = cmaf.Snapshot.Dash!;
        Assert.Equal(2, dash.Periods.Count);
        var second = dash.Periods[1];
        var videoTemplate = second.AdaptationSets[0].Representations[0].SegmentTemplate;
        var firstAfter = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments.Single(s => s.Discontinuity);
        Assert.Equal($"p{firstAfter.Number}", second.Id);
        Assert.Equal(firstAfter.Number, videoTemplate.StartNumber);
        Assert.Equal(firstAfter.StartMs * 90, videoTemplate.PresentationTimeOffset);
        // The new period starts no earlier than the old one's media ends, though the rebased timestamps overlap it.
        var lastBefore = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments.Single(s => s.Number == firstAfter.Number - 1);
        Assert.True(second.StartMs >= dash.Periods[0].StartMs + lastBefore.EndMs, $"the second period starts at {second.StartMs}, the first ends at {lastBefore.EndMs}");
    }

    [Fact]
    public void A_timestamp_jump_of_minutes_cuts_a_discontinuity_and_a_new_period()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;

        hls.PublishMedia(0, 6_000);
        hls.PublishMedia(180_000, 186_040);

        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments;
        var after = Assert.Single(video, s => s.Discontinuity);
        Assert.Equal(180_000, after.StartMs);
        Assert.True(video.Single(s => s.Number == after.Number - 1).DurationMs <= 2000);
        Assert.Single(CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments, s => s.Discontinuity && s.Number == after.Number);
        Assert.Equal(2, cmaf.Snapshot.Dash!.Periods.Count);
        Assert.True(hls.Logs.Contains("CMAF: timestamp jumped"), hls.Logs.Dump());
    }

    [Fact]
    public void A_new_video_configuration_gets_a_new_init_and_a_discontinuity_and_the_old_init_stays_while_its_segments_do()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;
        hls.PublishMedia(0, 5_000);
        // The same header again (encoders repeat it) changes nothing.
        hls.Publish(hls.Frames.AvcSequenceHeader(5_000));
        hls.PublishMedia(5_000, 9_000);
        Assert.DoesNotContain(CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments, s => s.Discontinuity);

        hls.Publish(TsMedia.OtherAvcSequenceHeader(hls.Frames, 9_000));
        hls.PublishMedia(9_000, 13_040);

        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        var after = Assert.Single(video.Segments, s => s.Discontinuity);
        Assert.Equal(9_000, after.StartMs);
        var oldInit = video.Segments[0].Hls.MapUri;
        Assert.NotEqual(oldInit, after.Hls.MapUri);
        Assert.Equal(after.Hls.MapUri, video.LowLatencyPlaylist.Open!.MapUri);
        // Both inits are served while segments need them; the new one carries the new PPS.
        Assert.NotEqual(CmafFiles.Bytes(cmaf, oldInit), CmafFiles.Bytes(cmaf, after.Hls.MapUri));
        var newPps = TsMedia.OtherAvcSequenceHeader(hls.Frames, 0);
        try
        {
            Assert.True(CmafFiles.Bytes(cmaf, after.Hls.MapUri).AsSpan().IndexOf(newPps.Payload.Span[^6..]) >= 0);
        }
        finally
        {
            newPps.Release();
        }
        var audio = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments;
        Assert.Single(audio, s => s.Discontinuity && s.Number == after.Number);
        Assert.Single(audio.Select(s => s.Hls.MapUri).Distinct());
    }

    [Fact]
    public void A_new_audio_configuration_gets_a_new_audio_init_in_a_new_period()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;
        hls.PublishMedia(0, 5_000);

        // AAC-LC at 48 kHz, mono, where it was 44.1 kHz stereo.
        hls.Publish(hls.Frames.Make(FrameKind.Audio, 5_000, FrameFlags.SequenceHeader, [0xAF, 0x00, 0x11, 0x88]));
        hls.PublishMedia(5_000, 9_040);

        var audio = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments;
        var after = Assert.Single(audio, s => s.Discontinuity);
        Assert.Equal((48_000u, 1), (after.Init.Track.Timescale, after.Init.Track.Channels));
        Assert.Single(CmafFiles.Track(cmaf, Fmp4TrackKind.Video).Segments, s => s.Discontinuity && s.Number == after.Number);
        var period = cmaf.Snapshot.Dash!.Periods[^1];
        var representation = period.AdaptationSets.Single(a => a.ContentType == Codecs.Dash.DashContentType.Audio).Representations[0];
        Assert.Equal((48_000, 48_000), (representation.AudioSamplingRate, representation.SegmentTemplate.Timescale));
    }

    [Fact]
    public void A_failover_that_continues_the_timeline_keeps_numbering_with_no_break()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();
        var cmaf = hls.Stream.RequestCmaf()!;
        hls.PublishMedia(0, 6_000);

        // The pull moved to another parent of the same origin: it replays its GOP cache, then goes on.
        hls.Stream.Rebase(hls.Source, mayContinue: true);
        hls.PublishHeaders(4_000);
        hls.PublishMedia(4_000, 12_040);

        Assert.Equal(1, hls.Stream.SeamlessSourceChanges);
        var video = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        Assert.Equal([0L, 1, 2, 3, 4, 5], video.Segments.Select(s => s.Number));
        Assert.All(video.Segments, s => Assert.Equal((s.Number * 2000, 2000L), (s.StartMs, s.DurationMs)));
        Assert.DoesNotContain(video.Segments, s => s.Discontinuity);
        Assert.DoesNotContain(CmafFiles.Track(cmaf, Fmp4TrackKind.Audio).Segments, s => s.Discontinuity);
        Assert.Single(cmaf.Snapshot.Dash!.Periods);
        // Every frame once: 50 video frames per 2 s segment, none repeated from the replayed GOP cache.
        Assert.All(video.Segments, s => Assert.Equal(50, s.Samples));
    }

    private static int CountTag(IEnumerable<bool> flags) => flags.Count(f => f);
}
