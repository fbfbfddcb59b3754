using Appliance.Codecs.Fmp4;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>
/// Two nodes packaging the same stream, one from its start and one from a later keyframe, name
/// and write every common init, segment and part alike, so a player can move between them.
/// </summary>
public class CmafDeterminismTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(3_600_000L)]
    // Across 2^32 ms (keyframes on whole seconds): RTMP's 32-bit clock wraps, the stream's 64-bit timeline does not.
    [InlineData((1L << 32) - 9_296)]
    public void A_node_that_starts_later_writes_the_same_files_as_one_that_started_early(long start)
    {
        using var early = new HlsHarness();
        using var late = new HlsHarness();
        early.PublishHeaders(start);
        late.PublishHeaders(start);
        var earlyCmaf = early.Stream.RequestCmaf()!;
        early.PublishMedia(start, start + 19_040);
        late.PublishMedia(start, start + 19_040);
        // The late node's first player asks 19 s in: its log holds a few seconds, so it starts at a later keyframe.
        var lateCmaf = late.Stream.RequestCmaf()!;

        early.PublishMedia(start + 19_040, start + 30_040);
        late.PublishMedia(start + 19_040, start + 30_040);

        foreach (var kind in new[] { Fmp4TrackKind.Video, Fmp4TrackKind.Audio })
        {
            var earlyTrack = CmafFiles.Track(earlyCmaf, kind);
            var lateTrack = CmafFiles.Track(lateCmaf, kind);
            var common = lateTrack.Segments.Select(s => s.Number).Intersect(earlyTrack.Segments.Select(s => s.Number)).ToList();
            Assert.True(common.Count >= 4, $"{kind}: {common.Count} segments in common");
            Assert.True(lateTrack.Segments[0].StartMs > start + 10_000, $"{kind}: the late node starts at {lateTrack.Segments[0].StartMs - start}");
            foreach (var number in common)
            {
                var a = earlyTrack.FindSegment(number)!;
                var b = lateTrack.FindSegment(number)!;
                Assert.Equal(a.Hls.Uri, b.Hls.Uri);
                Assert.Equal(a.Hls.MapUri, b.Hls.MapUri);
                Assert.Equal((a.StartMs, a.DurationMs), (b.StartMs, b.DurationMs));
                Assert.Equal(a.Parts.Select(p => (p.Hls.Uri, p.DurationMs, p.Independent)), b.Parts.Select(p => (p.Hls.Uri, p.DurationMs, p.Independent)));
                Assert.Equal(CmafFiles.Segment(earlyCmaf, kind, number), CmafFiles.Segment(lateCmaf, kind, number));
            }
            Assert.Equal(CmafFiles.Bytes(earlyCmaf, earlyTrack.Segments[^1].Init.Name), CmafFiles.Bytes(lateCmaf, lateTrack.Segments[^1].Init.Name));
            // The part in progress too: same name, same bytes.
            Assert.Equal(earlyTrack.OpenNumber, lateTrack.OpenNumber);
            Assert.Equal(earlyTrack.LastPart, lateTrack.LastPart);
            Assert.Equal(CmafFiles.Part(earlyCmaf, kind, earlyTrack.LastPartMsn, earlyTrack.LastPart), CmafFiles.Part(lateCmaf, kind, lateTrack.LastPartMsn, lateTrack.LastPart));
        }
    }
}
