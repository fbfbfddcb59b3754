using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// The node's own player page, /live/cam.html, opened in headless Chromium with nothing else
/// serving: its scripts come from the daemon's player directory (artifacts/share/appliance/player,
/// found beside artifacts/bin), and it plays ffmpeg's live/cam (640x360, 25 fps, an hour in)
/// showing protocol, latency, bitrate, resolution and stalls.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserPlayerPageTests(AgedPublisherFixture live, ITestOutputHelper output) : IClassFixture<AgedPublisherFixture>
{
    // Longer than the page's 10 s bitrate window, so the last figure is past the start-up burst.
    private const double Seconds = 12;

    [BrowserFact]
    public async Task The_player_page_plays_fmp4_hls_with_hls_js_from_the_node()
    {
        var visit = await VisitAsync("cmaf", "HLS fMP4 (CMAF)");

        AssertLibraries(visit, loaded: "hls.min.js", notLoaded: ["dash.all.min.js", "mpegts.js"]);
        Assert.Contains(visit.Requests, r => r.StartsWith(live.Daemon.HttpUrl("live/cam/cmaf.m3u8"), StringComparison.Ordinal));
        // hls.latency of a plain HLS player: about three 2 s segments behind.
        Assert.All(visit.Latencies, l => Assert.InRange(l ?? -1, 2, 15));
        Assert.Matches("^[0-9]+\\.[0-9]{2} s$", visit.Shown["latency"]);
    }

    [BrowserFact]
    public async Task The_player_page_plays_http_flv_with_mpegts_js_from_the_node()
    {
        var visit = await VisitAsync("flv", "HTTP-FLV");

        AssertLibraries(visit, loaded: "mpegts.js", notLoaded: ["hls.min.js", "dash.all.min.js"]);
        Assert.Contains(live.Daemon.HttpUrl("live/cam.flv"), visit.Requests);
        // What mpegts.js holds beyond the playhead: the node's join buffer and less.
        Assert.All(visit.Latencies, l => Assert.InRange(l ?? -1, 0, 5));
        Assert.Matches("^[0-9]+\\.[0-9]{2} s \\(buffered ahead\\)$", visit.Shown["latency"]);
    }

    /// <summary>Opens /live/cam.html#{output} and checks what every output must show.</summary>
    private async Task<PlayerPageVisit> VisitAsync(string outputId, string protocol)
    {
        var page = live.Daemon.HttpUrl($"live/cam.html#{outputId}");
        var bytesBefore = await BytesInAsync();
        var started = Environment.TickCount64;

        var visit = await PlayerPageBrowser.OpenAsync(page, Seconds, timeoutSeconds: Seconds + 90);

        var ingestKbps = (await BytesInAsync() - bytesBefore) * 8.0 / (Environment.TickCount64 - started);
        output.WriteLine(visit.Json);
        output.WriteLine($"ingest {ingestKbps:F0} kbit/s");
        Assert.True(visit.Last.Errors.Count == 0, $"the page reported errors: {visit}");
        Assert.Equal("playing", visit.Last.State);
        Assert.Equal(outputId, visit.Last.Output);
        // What the viewer sees: the picture moving at every sample, at about the speed of the
        // page's clock (a loaded machine once showed 10.7 s in 12 with no stall and a flat latency).
        Assert.True(visit.PageSeconds >= Seconds, $"the page was sampled for {visit.PageSeconds:F2} s: {visit}");
        Assert.True(visit.AdvancedSeconds >= 0.85 * visit.PageSeconds, $"currentTime advanced {visit.AdvancedSeconds:F2} s in {visit.PageSeconds:F2} s: {visit}");
        var frozen = visit.CurrentTimes.Zip(visit.CurrentTimes.Skip(1)).FirstOrDefault(p => p.Second[1] <= p.First[1]);
        Assert.True(frozen == default, $"the picture stood still from {frozen.First?[0]} to {frozen.Second?[0]} ms: {visit}");
        Assert.True(visit.Last.Stalls == 0, $"{visit.Last.Stalls} stalls: {visit}");
        Assert.Equal((640, 360), (visit.Last.Width, visit.Last.Height));
        Assert.Equal(protocol, visit.Shown["protocol"]);
        Assert.Equal("640x360", visit.Shown["resolution"]);
        Assert.Equal("0", visit.Shown["stalls"]);
        // Bytes the page loaded against bytes the encoder sent over the same time.
        Assert.True(visit.Last.BitrateKbps is { } kbps && kbps > ingestKbps / 2 && kbps < ingestKbps * 2,
            $"the page shows {visit.Last.BitrateKbps:F0} kbit/s, the encoder sends {ingestKbps:F0} kbit/s: {visit}");
        Assert.Matches("^[0-9.]+ (kbit|Mbit)/s$", visit.Shown["bitrate"]);
        Assert.Equal(page.Split('#')[0], visit.Requests[0]);
        var origin = new Uri(page).GetLeftPart(UriPartial.Authority);
        // The only other scheme is blob: (media sources, hls.js's worker), of the same origin.
        var elsewhere = visit.Requests.Where(r => new Uri(r.StartsWith("blob:", StringComparison.Ordinal) ? r[5..] : r).GetLeftPart(UriPartial.Authority) != origin).ToList();
        Assert.True(elsewhere.Count == 0, $"requests to another origin: {string.Join(", ", elsewhere)}");
        return visit;
    }

    private void AssertLibraries(PlayerPageVisit visit, string loaded, string[] notLoaded)
    {
        var scripts = visit.Requests.Where(r => r.Contains("/player/", StringComparison.Ordinal)).Select(r => new Uri(r)).ToList();
        Assert.Contains(scripts, u => u.AbsolutePath == "/player/player.js" && u.Query.StartsWith("?v=", StringComparison.Ordinal));
        Assert.Contains(scripts, u => u.AbsolutePath == $"/player/{loaded}" && u.Query.StartsWith("?v=", StringComparison.Ordinal));
        foreach (var name in notLoaded)
        {
            Assert.DoesNotContain(scripts, u => u.AbsolutePath == $"/player/{name}");
        }
        Assert.All(scripts, u => Assert.Equal(live.Daemon.HttpUrl("")[..^1], u.GetLeftPart(UriPartial.Authority)));
    }

    private async Task<long> BytesInAsync() =>
        (await StreamApi.FindAsync(live.Daemon, "cam"))?.GetProperty("bytesIn").GetInt64() ?? throw new InvalidOperationException("live/cam is not live");
}
