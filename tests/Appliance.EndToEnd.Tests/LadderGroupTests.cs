using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.EndToEnd.Tests.Renditions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A source and its ladder's rungs are one adaptive stream at the URLs of a customer's rendition
/// group (README "Adaptive streams"): the HLS-TS index.m3u8, the CMAF multivariant playlists with
/// rendition reports, and one MPD, each listing the 720p source and its 480p and 360p rungs; and
/// appliancectl and /metrics show the rungs in the source's group; an edge whose rule names the
/// rungs serves the same group.
/// </summary>
public sealed partial class LadderTests
{
    [Fact]
    public async Task The_source_and_its_rungs_are_one_group_in_the_hls_multivariant_playlist()
    {
        await EnsureRungsAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var index = await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token);

        Assert.Equal(200, index.Status);
        var variants = RenditionsTests.Variants(index.Text);
        Assert.Equal(["../cam_360p.m3u8", "../cam_480p.m3u8", "../cam.m3u8"], variants.Select(v => v.Uri));
        Assert.Equal([(640, 360), (854, 480), (1280, 720)], variants.Select(v => (v.Width, v.Height)));
        Assert.All(variants, v => Assert.Matches(@"^avc1\.[0-9a-f]{6},mp4a\.40\.2$", v.Codecs));
        Assert.All(variants, v => Assert.Equal(25.0, v.FrameRate));
        // Measured, not configured: each one's segments as a player would download them.
        foreach (var variant in variants)
        {
            var (measured, _) = await RenditionsTests.MeasuredRateAsync(Daemon, $"/live/{variant.Uri[3..]}", cts.Token);
            Assert.InRange(variant.AverageBandwidth, measured * 0.8, measured * 1.2);
        }
    }

    [Fact]
    public async Task The_source_and_its_rungs_are_one_group_in_the_cmaf_playlists_and_the_mpd()
    {
        await EnsureRungsAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var cmaf = await Hls.GetAsync(Daemon, "/live/cam/llhls.m3u8", cts.Token);
        var mpd = await Hls.GetAsync(Daemon, "/live/cam.mpd", cts.Token);
        var rung = await Hls.GetAsync(Daemon, "/live/cam_480p/video-ll.m3u8", cts.Token);

        Assert.Equal(200, cmaf.Status);
        Assert.Equal(["../cam_360p/video-ll.m3u8", "../cam_480p/video-ll.m3u8", "../cam/video-ll.m3u8"], RenditionsTests.Variants(cmaf.Text).Select(v => v.Uri));
        // The rungs carry the source's audio, copied: one shared audio group, the source's.
        Assert.Single(Regex.Matches(cmaf.Text, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",[^\n]*URI=\"../cam/audio-ll.m3u8\""));
        Assert.Equal(200, mpd.Status);
        Assert.Single(Regex.Matches(mpd.Text, "contentType=\"video\""));
        var representations = Regex.Matches(mpd.Text, "<Representation id=\"(cam[^\"]*)\"[^>]* width=\"(\\d+)\" height=\"(\\d+)\"")
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        Assert.Equal([("cam_360p", 640, 360), ("cam_480p", 854, 480), ("cam", 1280, 720)], representations);
        Assert.Equal(200, rung.Status);
        Assert.Matches("#EXT-X-RENDITION-REPORT:URI=\"../cam/video-ll.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+\n", rung.Text);
        Assert.Matches("#EXT-X-RENDITION-REPORT:URI=\"../cam_360p/video-ll.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+\n", rung.Text);
    }

    [Fact]
    public async Task Streams_and_metrics_show_the_rungs_in_the_sources_group()
    {
        await EnsureRungsAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        Assert.Equal(200, (await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token)).Status);

        // The sweep finds the group every 2 s; a packaging another test just started is pending until its first segment.
        Dictionary<string, (string?, string?)> streams = [];
        await Conditions.UntilAsync(async () =>
        {
            streams = (await Appliancectl.JsonAsync(Daemon, "streams")).GetProperty("streams").EnumerateArray()
                .ToDictionary(s => s.GetProperty("key").GetString()!, s => (s.GetProperty("group").GetString(), s.GetProperty("rendition").GetString()));
            return streams.GetValueOrDefault("default/live/cam_360p").Item2 == "aligned" && streams.GetValueOrDefault("default/live/cam_480p").Item2 == "aligned";
        }, TimeSpan.FromSeconds(20), "both rungs aligned in the source's group");
        var table = await Appliancectl.RunAsync(Daemon, "streams");
        var metrics = await Http.GetStringAsync(Daemon.AdminUrl("metrics"));

        Assert.Equal(("cam", "top"), streams["default/live/cam"]);
        Assert.Equal(("cam", "aligned"), streams["default/live/cam_480p"]);
        Assert.Equal(("cam", "aligned"), streams["default/live/cam_360p"]);
        Assert.Matches(@"(?m)^default/live/cam_360p\s+transcoder .* cam \(aligned\)\s*$", table.Stdout);
        Assert.Matches(@"(?m)^appliance_rendition_misaligned\{group=""default/live/cam"",rendition=""cam_480p"",packaging=""hls""\} 0$", metrics);
        Assert.False(Daemon.HasLog(l => l.Contains("is not aligned with", StringComparison.Ordinal)), "a rung was reported misaligned");
    }

    [Fact]
    public async Task An_edge_whose_rule_names_the_rungs_pulls_them_and_serves_the_same_group()
    {
        await EnsureRungsAsync();
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(Daemon)], more: "\"renditions\": { \"labels\": [ \"480p\", \"360p\" ] }"),
            rootJson: Infrastructure.Tiers.Node("edge"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var index = await Hls.GetAsync(edge, "/live/cam/index.m3u8", cts.Token);

        Assert.Equal(200, index.Status);
        Assert.Equal([("../cam_360p.m3u8", 360), ("../cam_480p.m3u8", 480), ("../cam.m3u8", 720)],
            RenditionsTests.Variants(index.Text).Select(v => (v.Uri, v.Height)));
        var pulled = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray()
            .Select(s => (s.GetProperty("key").GetString(), s.GetProperty("sourceKind").GetString())).Order();
        Assert.Equal([("default/live/cam", "pull"), ("default/live/cam_360p", "pull"), ("default/live/cam_480p", "pull")], pulled);
    }
}
