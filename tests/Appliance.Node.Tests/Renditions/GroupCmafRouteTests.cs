using System.Text.RegularExpressions;
using Appliance.Node.Tests.Packaging;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Renditions;

/// <summary>A group's CMAF multivariant playlists, its MPD, and the rendition reports of its LL-HLS playlists.</summary>
public sealed class GroupCmafRouteTests
{
    private static RenditionsServer ThreeRenditions()
    {
        var node = new RenditionsServer();
        node.Publish("cam", keySize: 6000, interSize: 3000);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        node.Publish("cam_144p", keySize: 900, interSize: 400);
        return node;
    }

    [Theory]
    [InlineData("cmaf.m3u8", "video.m3u8", "audio.m3u8")]
    [InlineData("llhls.m3u8", "video-ll.m3u8", "audio-ll.m3u8")]
    public async Task The_cmaf_multivariant_lists_each_renditions_video_playlist_and_the_top_renditions_audio_shared(string file, string video, string audio)
    {
        using var node = ThreeRenditions();
        var client = node.Client();

        var multivariant = await client.RequestAsync("GET", $"/live/cam/{file}", Eventually.Deadline());

        Assert.Equal(200, multivariant.Status);
        Assert.Equal(
            [$"../cam/{audio}", $"../cam_144p/{video}", $"../cam_240p/{video}", $"../cam/{video}"],
            CmafServer.Uris(multivariant.BodyText));
        Assert.Single(Regex.Matches(multivariant.BodyText, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\""));
        Assert.Equal(3, Regex.Matches(multivariant.BodyText, "#EXT-X-STREAM-INF:BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=25.000,AUDIO=\"audio\"\n").Count);
    }

    [Theory]
    [InlineData("/live/cam.mpd")]
    [InlineData("/live/cam.mpd?ll=1")]
    public async Task The_mpd_has_one_video_adaptation_set_with_a_representation_per_rendition_and_the_audio_shared(string path)
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();

        var mpd = await client.RequestAsync("GET", path, ct);

        Assert.Equal(200, mpd.Status);
        Assert.Equal("application/dash+xml", mpd.Header("Content-Type"));
        var text = mpd.BodyText;
        Assert.Single(Regex.Matches(text, "contentType=\"video\""));
        Assert.Single(Regex.Matches(text, "contentType=\"audio\""));
        Assert.Equal(["cam_144p", "cam_240p", "cam", "audio"], Regex.Matches(text, "<Representation id=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        var media = Regex.Matches(text, "media=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["cam_144p/video-$Number$.m4s", "cam_240p/video-$Number$.m4s", "cam/video-$Number$.m4s", "cam/audio-$Number$.m4s"], media);
        // Every representation's timeline numbers the same segments from the same start.
        var starts = Regex.Matches(text, "startNumber=\"(\\d+)\"").Select(m => m.Groups[1].Value).Take(3).ToList();
        Assert.Single(starts.Distinct());
        var init = Regex.Match(text, "initialization=\"(cam_144p/[^\"]+)\"").Groups[1].Value;
        var segment = await client.RequestAsync("GET", $"/live/{init}", ct);
        Assert.Equal(200, segment.Status);
    }

    [Fact]
    public async Task A_renditions_ll_playlist_reports_where_the_groups_other_renditions_stand()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam/llhls.m3u8", ct);

        var playlist = await client.RequestAsync("GET", "/live/cam_240p/video-ll.m3u8", ct);

        Assert.Equal(200, playlist.Status);
        var reports = Regex.Matches(playlist.BodyText, "#EXT-X-RENDITION-REPORT:URI=\"([^\"]+)\",LAST-MSN=(\\d+),LAST-PART=(\\d+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["audio-ll.m3u8", "../cam/video-ll.m3u8", "../cam_144p/video-ll.m3u8"], reports);
        var own = Regex.Match(playlist.BodyText, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video-(\\d+)\\.").Groups[1].Value;
        Assert.Contains($"URI=\"../cam/video-ll.m3u8\",LAST-MSN={own},", playlist.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rendition_that_stops_leaves_the_group_and_returns_when_it_comes_back()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();
        var before = await client.RequestAsync("GET", "/live/cam.mpd", ct);

        node.Unpublish("cam_240p");
        var without = await client.RequestAsync("GET", "/live/cam.mpd", ct);
        var index = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200, fromMs: 9_000, untilMs: 15_000);
        node.PublishUntil(15_000);
        var back = await client.RequestAsync("GET", "/live/cam.mpd", ct);
        var indexBack = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);

        Assert.Equal(["cam_144p", "cam_240p", "cam"], VideoRepresentations(before.BodyText));
        Assert.Equal(["cam_144p", "cam"], VideoRepresentations(without.BodyText));
        Assert.Equal(["../cam_144p.m3u8", "../cam.m3u8"], CmafServer.Uris(index.BodyText));
        Assert.Equal(["cam_144p", "cam_240p", "cam"], VideoRepresentations(back.BodyText));
        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], CmafServer.Uris(indexBack.BodyText));
    }

    [Fact]
    public async Task The_group_ends_when_all_its_renditions_are_gone()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();
        Assert.Equal(200, (await client.RequestAsync("GET", "/live/cam/llhls.m3u8", ct)).Status);

        foreach (var name in new[] { "cam", "cam_240p", "cam_144p" })
        {
            node.Unpublish(name);
        }

        Assert.Equal(404, (await client.RequestAsync("GET", "/live/cam/llhls.m3u8", ct)).Status);
        Assert.Equal(404, (await client.RequestAsync("GET", "/live/cam/index.m3u8", ct)).Status);
        Assert.Equal(404, (await client.RequestAsync("GET", "/live/cam.mpd", ct)).Status);
    }

    [Fact]
    public async Task A_player_of_one_rendition_keeps_the_others_packaged_for_when_it_switches()
    {
        using var node = ThreeRenditions();
        var client = node.Client();
        var ct = Eventually.Deadline();

        await client.RequestAsync("GET", "/live/cam_144p/video.m3u8", ct);
        await client.RequestAsync("GET", "/live/cam_144p.m3u8", ct);

        Assert.NotNull(node.Published["cam"].Stream.PackagedCmaf);
        Assert.NotNull(node.Published["cam_240p"].Stream.PackagedCmaf);
        Assert.NotNull(node.Published["cam"].Stream.PackagedHlsWindow);
        Assert.NotNull(node.Published["cam_240p"].Stream.PackagedHlsWindow);
    }

    private static List<string> VideoRepresentations(string mpd) =>
        [.. Regex.Matches(mpd, "<Representation id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Where(id => id != "audio")];
}
