using System.Text.RegularExpressions;
using Appliance.Auth.Config;
using Appliance.Node.Tests.Packaging;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Renditions;

/// <summary>With play auth: the group's manifests carry each rendition's own session token, and only that token opens it.</summary>
public sealed class GroupTokenTests
{
    private const string HmacKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static RenditionsServer ThreeRenditionsWithPlayAuth()
    {
        var node = new RenditionsServer(config => config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = HmacKey });
        node.Publish("cam", keySize: 6000, interSize: 3000);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        node.Publish("cam_144p", keySize: 900, interSize: 400);
        return node;
    }

    private static string Token(string acl) => Signer.EdgeToken(HmacKey, $"exp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}", $"acl={acl}");

    private static string SessionOf(string uri) => Regex.Match(uri, @"\?hls_session=([0-9a-f]+-[0-9a-f]{32})$").Groups[1].Value;

    [Fact]
    public async Task The_hls_index_gives_each_rendition_a_token_of_its_own_that_opens_its_playlist_and_segments()
    {
        using var node = ThreeRenditionsWithPlayAuth();
        var client = node.Client();
        var ct = Eventually.Deadline();

        var bare = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);
        var index = await client.RequestAsync("GET", $"/live/cam/index.m3u8?__token__={Token("/live/cam/index.m3u8")}", ct);

        Assert.Equal(403, bare.Status);
        Assert.Equal(200, index.Status);
        var uris = CmafServer.Uris(index.BodyText);
        Assert.Equal(3, uris.Count);
        Assert.All(uris, u => Assert.NotEmpty(SessionOf(u)));
        Assert.Equal(3, uris.Select(SessionOf).Distinct().Count());
        foreach (var uri in uris)
        {
            // ../cam_144p.m3u8?hls_session=... from /live/cam/index.m3u8
            var playlist = await client.RequestAsync("GET", "/live/" + uri[3..], ct);
            Assert.Equal(200, playlist.Status);
            var segments = CmafServer.Uris(playlist.BodyText);
            Assert.All(segments, s => Assert.NotEmpty(SessionOf(s)));
            Assert.Equal(200, (await client.RequestAsync("GET", "/live/" + segments[^1], ct)).Status);
        }
    }

    [Fact]
    public async Task A_renditions_token_opens_no_other_rendition()
    {
        using var node = ThreeRenditionsWithPlayAuth();
        var client = node.Client();
        var ct = Eventually.Deadline();
        var index = await client.RequestAsync("GET", $"/live/cam/index.m3u8?__token__={Token("/live/cam/index.m3u8")}", ct);
        var forCam = SessionOf(CmafServer.Uris(index.BodyText).Single(u => u.StartsWith("../cam.m3u8", StringComparison.Ordinal)));

        var other = await client.RequestAsync("GET", $"/live/cam_144p.m3u8?hls_session={forCam}", ct);
        var own = await client.RequestAsync("GET", $"/live/cam.m3u8?hls_session={forCam}", ct);

        Assert.Equal(403, other.Status);
        Assert.Equal(200, own.Status);
    }

    [Fact]
    public async Task The_cmaf_multivariant_and_the_mpd_carry_each_renditions_own_token()
    {
        using var node = ThreeRenditionsWithPlayAuth();
        var client = node.Client();
        var ct = Eventually.Deadline();

        var multivariant = await client.RequestAsync("GET", $"/live/cam/cmaf.m3u8?__token__={Token("/live/cam/cmaf.m3u8")}", ct);
        var mpd = await client.RequestAsync("GET", $"/live/cam.mpd?__token__={Token("/live/cam.mpd")}", ct);

        Assert.Equal(200, multivariant.Status);
        var video = CmafServer.Uris(multivariant.BodyText).Single(u => u.StartsWith("../cam_240p/video.m3u8?", StringComparison.Ordinal));
        Assert.Equal(200, (await client.RequestAsync("GET", "/live/" + video[3..], ct)).Status);
        Assert.Equal(200, mpd.Status);
        var init = Regex.Match(mpd.BodyText, "initialization=\"(cam_144p/video-init-[0-9a-f]{8}\\.mp4\\?hls_session=[^\"]+)\"").Groups[1].Value;
        var media = Regex.Matches(mpd.BodyText, "media=\"[^\"]+\\?hls_session=([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, media.Distinct().Count());
        Assert.Equal(200, (await client.RequestAsync("GET", "/live/" + init, ct)).Status);
    }
}
