using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// CMAF at every tier: an edge that pulls a stream packages it into the very files its origin
/// makes (names, numbers, durations, bytes), so a player can move between nodes mid-stream.
/// Streams are aged: an hour in, or crossing RTMP's 32-bit wrap between one edge's pull and
/// another's. Program dates and the MPD's availabilityStartTime are each node's wall clock when
/// it started packaging: compared only to within a second.
/// </summary>
public sealed class CmafTierTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly string[] Tracks = ["video", "audio"];

    [Fact]
    public async Task An_edge_serves_the_origins_segments_and_parts_under_the_same_names_with_the_same_durations_and_bytes()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("edge"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        // The origin packages from the start; the edge is first asked (and pulls) once the stream
        // is older than the origin's GOP cache and first segments, so it starts mid-stream.
        var first = await CmafFetch.PlaylistAsync(origin, "video-ll.m3u8", "video", cts.Token);
        await StreamApi.WaitForUptimeAsync(origin, "cam", 12, Wait);

        var partsCompared = 0;
        foreach (var track in Tracks)
        {
            // Each node packages on demand: the first request starts it (and, at the edge, the pull).
            var (atOrigin, atEdge) = await CmafFetch.SharedWindowAsync(origin, edge, $"{track}-ll.m3u8", track, minShared: 3, Wait, cts.Token);
            var shared = CmafFetch.SharedNumbers(atOrigin, atEdge);
            output.WriteLine($"origin:\n{atOrigin.Text}\nedge:\n{atEdge.Text}");
            Assert.True(atEdge.Segments[0].Number > first.Segments[0].Number + 2, $"the edge did not start mid-stream:\n{first.Text}\n{atEdge.Text}");
            foreach (var number in shared)
            {
                var (o, e) = (atOrigin.Find(number)!, atEdge.Find(number)!);
                Assert.Equal(o.Uri, e.Uri);
                Assert.True(o.Duration == e.Duration, $"{o.Uri}: EXTINF {o.Duration} at the origin, {e.Duration} at the edge");
                Assert.Equal(o.Map, e.Map);
                if (o.Parts.Count > 0 && e.Parts.Count > 0)
                {
                    Assert.Equal(o.Parts, e.Parts);
                    partsCompared += o.Parts.Count;
                }
            }
            CmafFetch.AssertSameBytes($"{track} init {atOrigin.Segments[0].Map}",
                await CmafFetch.FileAsync(origin, atOrigin.Segments[0].Map, cts.Token), await CmafFetch.FileAsync(edge, atOrigin.Segments[0].Map, cts.Token));
            foreach (var number in shared.TakeLast(2))
            {
                var segment = atOrigin.Find(number)!;
                CmafFetch.AssertSameBytes(segment.Uri, await CmafFetch.FileAsync(origin, segment.Uri, cts.Token), await CmafFetch.FileAsync(edge, segment.Uri, cts.Token));
            }
            var part = shared.Select(n => atEdge.Find(n)!).Last(s => s.Parts.Count > 1).Parts[1];
            CmafFetch.AssertSameBytes(part.Uri, await CmafFetch.FileAsync(origin, part.Uri, cts.Token), await CmafFetch.FileAsync(edge, part.Uri, cts.Token));

            // The plain fMP4 playlists list the same.
            var (plainOrigin, plainEdge) = await CmafFetch.SharedWindowAsync(origin, edge, $"{track}.m3u8", track, minShared: 3, Wait, cts.Token);
            foreach (var number in CmafFetch.SharedNumbers(plainOrigin, plainEdge))
            {
                Assert.Equal((plainOrigin.Find(number)!.Uri, plainOrigin.Find(number)!.Duration), (plainEdge.Find(number)!.Uri, plainEdge.Find(number)!.Duration));
            }
        }
        Assert.True(partsCompared >= 10, $"only {partsCompared} parts listed by both nodes");

        foreach (var mpd in new[] { "/live/cam.mpd", "/live/cam.mpd?ll=1" })
        {
            await AssertSameDashTimelineAsync(origin, edge, mpd, cts.Token);
        }
        await AssertEdgeLagAsync(origin, edge, cts.Token);
    }

    /// <summary>
    /// What the pull adds to a player's latency at the edge: blocking reloads for the same next part
    /// sent to both nodes at once, and how much later the edge answers, over 20 parts (4 s).
    /// </summary>
    private async Task AssertEdgeLagAsync(DaemonProcess origin, DaemonProcess edge, CancellationToken ct)
    {
        var lags = new List<double>();
        var (msn, part) = (await CmafFetch.PlaylistAsync(edge, "video-ll.m3u8", "video", ct)).NextPart();
        for (var i = 0; i < 20; i++)
        {
            var query = $"?_HLS_msn={msn}&_HLS_part={part}";
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var atOrigin = Timed(CmafFetch.PlaylistAsync(origin, "video-ll.m3u8", "video", ct, query), clock);
            var atEdge = Timed(CmafFetch.PlaylistAsync(edge, "video-ll.m3u8", "video", ct, query), clock);
            var ((_, originMs), (playlist, edgeMs)) = (await atOrigin, await atEdge);
            lags.Add(edgeMs - originMs);
            (msn, part) = playlist.NextPart();
        }
        output.WriteLine($"the edge answered blocking part reloads {lags.Average():F1} ms (mean) and at most {lags.Max():F1} ms after the origin: {string.Join(' ', lags.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(lags.Max() < 1000, $"the edge lags the origin by up to {lags.Max():F0} ms");
        // Each node dates media by its own clock when it starts packaging: the edge's dates trail by
        // what the pull took then, give or take how late each node's newest frame was at that moment.
        var (originStart, edgeStart) = (await AvailabilityStartAsync(origin, ct), await AvailabilityStartAsync(edge, ct));
        output.WriteLine($"the edge's availabilityStartTime is {(edgeStart - originStart).TotalMilliseconds:F0} ms after the origin's");
        // The edge anchors its clock at the first frame it packages, the origin's cached keyframe,
        // which is up to a GOP old (1 s here) when the pull starts: up to a GOP plus the pull's own time.
        Assert.InRange((edgeStart - originStart).TotalMilliseconds, -500, 1000 + 500);

        static async Task<(CmafMediaPlaylist, double)> Timed(Task<CmafMediaPlaylist> request, System.Diagnostics.Stopwatch clock)
        {
            var playlist = await request;
            return (playlist, clock.Elapsed.TotalMilliseconds);
        }
    }

    [Fact]
    public async Task A_player_moving_to_an_edge_that_joined_after_the_rtmp_wrap_continues_with_the_next_segment_number_and_decode_time()
    {
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        // Edge A pulls over HTTP-FLV, edge B over RTMP: both carry 32-bit timestamps.
        await using var edgeA = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Flv(origin)]), rootJson: Infrastructure.Tiers.Node("edge-a"));
        await using var edgeB = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("edge-b"));
        await using var publisher = await OffsetPublisher.StartAsync(origin, "cam", OffsetPublisher.BeforeTheWrapMs, CancellationToken.None);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        const long wrap = 1L << 32;

        // Edge A pulls before the wrap, and follows the origin's timeline across it.
        var beforeWrap = await CmafFetch.PlaylistAsync(edgeA, "video-ll.m3u8", "video", cts.Token);
        Assert.True(beforeWrap.Segments[0].Number * 2000 < wrap, $"edge A started after the wrap (a slow machine?):\n{beforeWrap.Text}");
        // Edge B is first asked, and starts its pull, once the origin's stamps have wrapped to near 0.
        await Conditions.UntilAsync(() => Task.FromResult(publisher.LastMs > wrap + 2000), Wait, "the publisher 2 s past the wrap");
        await CmafFetch.PlaylistAsync(edgeB, "video-ll.m3u8", "video", cts.Token);

        foreach (var track in Tracks)
        {
            var atA = await CmafFetch.PlaylistAsync(edgeA, $"{track}-ll.m3u8", track, cts.Token);
            output.WriteLine($"edge A:\n{atA.Text}");
            // The player read edge A's segments, the last one complete is N; A's own timeline is continuous across the wrap.
            var decodedEnd = await AssertContinuousAsync(edgeA, atA.Segments, track, cts.Token);
            var last = atA.Segments[^1];

            // It moves to edge B and asks for N + 1 (a blocking reload), as an LL-HLS player does.
            var atB = await CmafFetch.PlaylistAsync(edgeB, $"{track}-ll.m3u8", track, cts.Token, query: $"?_HLS_msn={last.Number + 1}");
            output.WriteLine($"edge B:\n{atB.Text}");
            var next = atB.Find(last.Number + 1);
            Assert.True(next is not null, $"edge B does not list {track} segment {last.Number + 1}:\n{atB.Text}");
            Assert.Equal(last.Map, next.Map);
            var media = await CmafFetch.FileAsync(edgeB, next.Uri, cts.Token);
            var fragments = Fmp4Reader.Read(media);
            Assert.True(fragments[0].DecodeTime == decodedEnd,
                $"{next.Uri} from edge B starts at tfdt {fragments[0].DecodeTime}, edge A's {last.Uri} ended at {decodedEnd}\n{CmafFetch.Describe(media)}");
            Assert.True(fragments[0].Samples[0].Sync, $"{next.Uri} does not start with a sync sample");
            // The segments both list are the same.
            foreach (var number in CmafFetch.SharedNumbers(atA, atB))
            {
                Assert.Equal((atA.Find(number)!.Uri, atA.Find(number)!.Duration), (atB.Find(number)!.Uri, atB.Find(number)!.Duration));
            }
        }
        await AssertSameDashTimelineAsync(edgeA, edgeB, "/live/cam.mpd", cts.Token);
    }

    /// <summary>Fetches the segments and checks each fragment's tfdt is where the one before ended; returns where the last ends.</summary>
    private static async Task<ulong> AssertContinuousAsync(DaemonProcess node, IReadOnlyList<CmafSegmentEntry> segments, string track, CancellationToken ct)
    {
        ulong? end = null;
        foreach (var segment in segments)
        {
            var media = await CmafFetch.FileAsync(node, segment.Uri, ct);
            foreach (var fragment in Fmp4Reader.Read(media))
            {
                Assert.True(end is null || fragment.DecodeTime == end, $"{track} {segment.Uri}: tfdt {fragment.DecodeTime} after an end at {end}\n{CmafFetch.Describe(media)}");
                end = fragment.EndTime;
            }
        }
        return end!.Value;
    }

    private static async Task<DateTimeOffset> AvailabilityStartAsync(DaemonProcess node, CancellationToken ct)
    {
        var mpd = await Hls.GetAsync(node, "/live/cam.mpd", ct);
        var value = System.Text.RegularExpressions.Regex.Match(mpd.Text, "availabilityStartTime=\"([^\"]+)\"").Groups[1].Value;
        return DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Both MPDs describe the same tracks and give the segments they share the same $Number$, start and duration; the start is the segment's tfdt.</summary>
    private static async Task AssertSameDashTimelineAsync(DaemonProcess a, DaemonProcess b, string mpd, CancellationToken ct)
    {
        var (fromA, fromB) = (await CmafFetch.MpdAsync(a, mpd, ct), await CmafFetch.MpdAsync(b, mpd, ct));
        Assert.Equal(["audio", "video"], fromA.Keys.Order());
        Assert.Equal(["audio", "video"], fromB.Keys.Order());
        foreach (var (type, trackA) in fromA)
        {
            var trackB = fromB[type];
            Assert.Equal(trackA with { Segments = [] }, trackB with { Segments = [] });
            var shared = trackA.Segments.Join(trackB.Segments, s => s.Number, s => s.Number, (x, y) => (x, y)).ToList();
            Assert.True(shared.Count >= 2, $"{mpd} {type}: {shared.Count} segments in common\n{string.Join(' ', trackA.Segments)}\n{string.Join(' ', trackB.Segments)}");
            Assert.All(shared, p => Assert.Equal(p.x, p.y));
            // The first shared one: the low-latency MPD's last is the segment in progress, whose bytes are still coming.
            var (number, time) = (shared[0].x.Number, shared[0].x.Time);
            var media = await CmafFetch.FileAsync(b, trackB.Media.Split('/')[^1].Replace("$Number$", number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Split('?')[0], ct);
            Assert.Equal((ulong)time, Fmp4Reader.Read(media)[0].DecodeTime);
        }
    }
}
