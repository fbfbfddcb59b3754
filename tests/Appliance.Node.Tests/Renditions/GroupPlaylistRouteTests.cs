using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Node.Tests.Packaging;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Renditions;

/// <summary>A group's manifests through the in-memory HTTP session: what they list, in what order, and where their URIs lead.</summary>
public sealed partial class GroupPlaylistRouteTests
{
    private static RenditionsServer ThreeRenditions(Action<Appliance.Node.Config.ApplianceConfig>? configure = null)
    {
        var node = new RenditionsServer(configure);
        node.Publish("cam", keySize: 6000, interSize: 3000);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        node.Publish("cam_144p", keySize: 900, interSize: 400);
        return node;
    }

    [GeneratedRegex(@"#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS=""([^""]+)"",RESOLUTION=(\d+x\d+),FRAME-RATE=([\d.]+)\n([^\n]+)\n")]
    private static partial Regex StreamInf();

    [Fact]
    public async Task The_hls_multivariant_lists_every_rendition_lowest_bandwidth_first_each_with_its_own_media_playlist()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();

        var index = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);

        Assert.Equal(200, index.Status);
        Assert.Equal("application/vnd.apple.mpegurl", index.Header("Content-Type"));
        Assert.Equal("max-age=1", index.Header("Cache-Control"));
        var variants = StreamInf().Matches(index.BodyText);
        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], variants.Select(v => v.Groups[6].Value));
        var bandwidths = variants.Select(v => long.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(bandwidths.Order(), bandwidths);
        Assert.All(variants, v => Assert.Equal("avc1.64001f,mp4a.40.2", v.Groups[3].Value));
        Assert.All(variants, v => Assert.Equal("1280x720", v.Groups[4].Value));
        Assert.All(variants, v => Assert.Equal("25.000", v.Groups[5].Value));
        Assert.DoesNotContain("#EXT-X-MEDIA", index.BodyText, StringComparison.Ordinal);

        // Each variant is the rendition's own playlist, whose segments are the ones the figures were measured on.
        foreach (Match variant in variants)
        {
            var name = variant.Groups[6].Value[3..^5];
            var playlist = await client.RequestAsync("GET", $"/live/{name}.m3u8", ct);
            Assert.Equal(200, playlist.Status);
            long bytes = 0, peak = 0;
            var durations = Regex.Matches(playlist.BodyText, @"#EXTINF:([\d.]+),\n([^\n]+)").Select(m => (Ms: (long)(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000), Uri: m.Groups[2].Value)).ToList();
            foreach (var (ms, uri) in durations)
            {
                var segment = await client.RequestAsync("GET", $"/live/{uri}", ct);
                bytes += segment.Body.Length;
                peak = Math.Max(peak, segment.Body.Length * 8L * 1000 / ms);
            }
            Assert.Equal(peak, long.Parse(variant.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(bytes * 8 * 1000 / durations.Sum(d => d.Ms), long.Parse(variant.Groups[2].Value, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Every_rendition_stays_playable_alone_and_numbers_its_segments_as_the_others_do()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);

        var lists = new List<string>();
        foreach (var name in new[] { "cam", "cam_240p", "cam_144p" })
        {
            var playlist = await client.RequestAsync("GET", $"/live/{name}.m3u8", ct);
            Assert.Equal(200, playlist.Status);
            lists.Add(Regex.Replace(playlist.BodyText, @"#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n|[^\n/]+/", ""));
        }

        Assert.Equal(lists[0], lists[1]);
        Assert.Equal(lists[0], lists[2]);
        Assert.True(Regex.Matches(lists[0], "#EXTINF:2.000,").Count >= 3, lists[0]);
    }

    [Theory]
    [InlineData("/live/nobody/index.m3u8")]
    [InlineData("/live/nobody/cmaf.m3u8")]
    [InlineData("/live/nobody/llhls.m3u8")]
    [InlineData("/live/nobody.mpd")]
    public async Task A_group_with_no_rendition_published_is_404(string path)
    {
        using var node = ThreeRenditions();

        var response = await node.Client().RequestAsync("GET", path, Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.Equal("stream not found\n", response.BodyText);
    }

    [Fact]
    public async Task Without_a_rendition_rule_there_is_no_index_playlist()
    {
        using var node = new RenditionsServer(config => config.Domains[0].Apps[0].Renditions.Labels = []);
        node.Publish("cam", keySize: 6000, interSize: 3000);
        var client = node.Client();
        var ct = Eventually.Deadline();

        var index = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);
        var own = await client.RequestAsync("GET", "/live/cam/cmaf.m3u8", ct);

        Assert.Equal(404, index.Status);
        Assert.Equal(["audio.m3u8", "video.m3u8"], CmafServer.Uris(own.BodyText));
    }

    [Fact]
    public async Task The_group_needs_no_top_rendition_its_first_published_one_leads()
    {
        using var node = new RenditionsServer();
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        node.Publish("cam_144p", keySize: 900, interSize: 400);

        var index = await node.Client().RequestAsync("GET", "/live/cam/index.m3u8", Eventually.Deadline());

        Assert.Equal(200, index.Status);
        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8"], CmafServer.Uris(index.BodyText));
    }

    [Fact]
    public async Task An_explicit_group_lists_the_streams_it_names_under_its_own_name()
    {
        using var node = new RenditionsServer(config =>
        {
            config.Domains[0].Apps[0].Renditions.Labels = [];
            config.Domains[0].Apps[0].Renditions.Groups = new() { ["show"] = ["cam", "cam_144p"] };
        });
        node.Publish("cam", keySize: 6000, interSize: 3000);
        node.Publish("cam_144p", keySize: 900, interSize: 400);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        var client = node.Client();
        var ct = Eventually.Deadline();

        var index = await client.RequestAsync("GET", "/live/show/index.m3u8", ct);
        var notAGroup = await client.RequestAsync("GET", "/live/cam_240p/index.m3u8", ct);

        Assert.Equal(["../cam_144p.m3u8", "../cam.m3u8"], CmafServer.Uris(index.BodyText));
        Assert.Equal(404, notAGroup.Status);
    }
}
