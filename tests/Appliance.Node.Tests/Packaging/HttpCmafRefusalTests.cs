using Appliance.Auth.Config;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>What the CMAF routes refuse (404, 400, 403), HEAD, byte ranges, and session tokens under play auth.</summary>
public class HttpCmafRefusalTests
{
    private const string HmacKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    [Theory]
    [InlineData("/live/cam/video-99.m4s")]
    [InlineData("/live/cam/video-4.99.m4s")]
    [InlineData("/live/cam/video-init-00000000.mp4")]
    [InlineData("/live/cam/video-01.m4s")]
    [InlineData("/live/cam/video--1.m4s")]
    [InlineData("/live/cam/video-99999999999999999999.m4s")]
    [InlineData("/live/cam/text.m3u8")]
    [InlineData("/live/cam/video.mp4")]
    [InlineData("/live/nobody/video.m3u8")]
    [InlineData("/live/nobody/cmaf.m3u8")]
    [InlineData("/live/nobody/video-0.m4s")]
    [InlineData("/live/nobody.mpd")]
    [InlineData("/other/cam.mpd")]
    public async Task An_unknown_name_or_stream_is_404_and_the_connection_stays_usable(string path)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var refused = await client.RequestAsync("GET", path, ct);
        var next = await client.RequestAsync("GET", "/live/cam/video-0.m4s", ct);

        Assert.Equal(404, refused.Status);
        Assert.Equal(200, next.Status);
        Assert.False(client.Run.IsCompleted);
        Assert.DoesNotContain(cam.Server.Logs.Lines, l => l.Exception is not null);
    }

    [Fact]
    public async Task A_file_request_does_not_start_packaging()
    {
        using var server = new TestServer();
        HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 5_000);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", "/live/cam/video-0.m4s", Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.Null(server.Streams.Streams.Single().Cmaf);
    }

    [Theory]
    [InlineData("/live/cam/cmaf.m3u8")]
    [InlineData("/live/cam/video.m3u8")]
    [InlineData("/live/cam.mpd")]
    public async Task An_app_with_cmaf_off_answers_404(string path)
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].Cmaf.Enabled = false);
        HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 5_000);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.Null(server.Streams.Streams.Single().Cmaf);
    }

    [Theory]
    [InlineData("?ll=2")]
    [InlineData("?ll=yes")]
    [InlineData("?ll")]
    public async Task An_mpd_with_another_ll_value_is_400(string query)
    {
        using var cam = new CmafServer();
        var client = cam.Client();

        var response = await client.RequestAsync("GET", "/live/cam.mpd" + query, Eventually.Deadline());

        Assert.Equal(400, response.Status);
        Assert.Single(cam.Server.Logs.Lines, l => l.Message.Contains("DASH request refused: ll is neither 0 nor 1", StringComparison.Ordinal));
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task Head_answers_the_heads_of_get_without_a_body()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var getPlaylist = await client.RequestAsync("GET", "/live/cam/video.m3u8", ct);
        var headPlaylist = await client.RequestAsync("HEAD", "/live/cam/video.m3u8", ct);
        var getSegment = await client.RequestAsync("GET", "/live/cam/audio-2.m4s", ct);
        var headSegment = await client.RequestAsync("HEAD", "/live/cam/audio-2.m4s", ct);
        var headMpd = await client.RequestAsync("HEAD", "/live/cam.mpd", ct);
        // Had a HEAD written a body, this response would be read out of those bytes.
        var after = await client.RequestAsync("GET", "/live/cam/audio-2.m4s", ct);

        Assert.Equal(200, headPlaylist.Status);
        Assert.Equal(getPlaylist.Header("Content-Length"), headPlaylist.Header("Content-Length"));
        Assert.Equal(200, headSegment.Status);
        Assert.Equal("audio/mp4", headSegment.Header("Content-Type"));
        Assert.Equal(getSegment.Header("Content-Length"), headSegment.Header("Content-Length"));
        Assert.Equal(200, headMpd.Status);
        Assert.Equal("application/dash+xml", headMpd.Header("Content-Type"));
        Assert.Equal(getSegment.Body, after.Body);
        Assert.DoesNotContain(cam.Server.Context.HlsSessions.Sessions, s => s.BytesOut == 0);
    }

    [Theory]
    [InlineData("/live/cam/video-1.m4s")]
    [InlineData("/live/cam/video-4.0.m4s")]
    public async Task One_byte_range_is_206_and_a_range_past_the_end_is_416(string path)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var whole = await client.RequestAsync("GET", path, ct);
        var partial = await client.RequestAsync("GET", path, ct, "Range: bytes=10-49\r\n");
        var tail = await client.RequestAsync("GET", path, ct, "Range: bytes=-8\r\n");
        var past = await client.RequestAsync("GET", path, ct, $"Range: bytes={whole.Body.Length}-\r\n");

        Assert.Equal(206, partial.Status);
        Assert.Equal($"bytes 10-49/{whole.Body.Length}", partial.Header("Content-Range"));
        Assert.Equal(whole.Body[10..50], partial.Body);
        Assert.Equal(206, tail.Status);
        Assert.Equal(whole.Body[^8..], tail.Body);
        Assert.Equal(416, past.Status);
        Assert.Equal($"bytes */{whole.Body.Length}", past.Header("Content-Range"));
        Assert.False(client.Run.IsCompleted);
    }

    [Theory]
    [InlineData("/live/cam/video-0.m4s")]
    [InlineData("/live/cam/video-4.0.m4s")]
    [InlineData("/live/cam/video.m3u8")]
    [InlineData("/live/cam/cmaf.m3u8")]
    [InlineData("/live/cam.mpd")]
    public async Task With_play_auth_a_request_without_a_token_is_403(string path)
    {
        using var cam = new CmafServer(PlayAuth);
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var bare = await client.RequestAsync("GET", path, ct);
        var forged = await client.RequestAsync("GET", path + "?hls_session=7fffffff-00000000000000000000000000000000", ct);

        Assert.Equal(403, bare.Status);
        Assert.Equal(403, forged.Status);
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task An_authorized_multivariant_playlist_carries_a_session_token_to_every_uri_down_to_the_parts()
    {
        using var cam = new CmafServer(PlayAuth);
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var token = Signer.EdgeToken(HmacKey, $"exp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}", "acl=/live/cam*");

        var multivariant = await client.RequestAsync("GET", $"/live/cam/llhls.m3u8?__token__={token}", ct);
        var playlistUri = CmafServer.Uris(multivariant.BodyText).Single(u => u.StartsWith("video-ll.m3u8", StringComparison.Ordinal));
        var playlist = await client.RequestAsync("GET", "/live/cam/" + playlistUri, ct);
        var uris = CmafServer.Uris(playlist.BodyText);
        var files = new List<HttpResponse>();
        foreach (var uri in new[] { uris[0], uris.First(u => u.StartsWith("video-3.m4s", StringComparison.Ordinal)), uris.First(u => u.StartsWith("video-4.0.m4s", StringComparison.Ordinal)) })
        {
            files.Add(await client.RequestAsync("GET", "/live/cam/" + uri, ct));
        }
        var mpd = await client.RequestAsync("GET", $"/live/cam.mpd?__token__={token}", ct);

        Assert.Equal(200, multivariant.Status);
        Assert.All(CmafServer.Uris(multivariant.BodyText), u => Assert.Matches(@"\?hls_session=[0-9a-f]+-[0-9a-f]{32}$", u));
        Assert.Equal(200, playlist.Status);
        // The media playlist renews the token it was reached with.
        Assert.All(uris, u => Assert.Matches(@"\?hls_session=[0-9a-f]+-[0-9a-f]{32}$", u));
        Assert.All(files, f => Assert.Equal(200, f.Status));
        Assert.Equal(200, mpd.Status);
        Assert.Matches("media=\"cam/video-\\$Number\\$\\.m4s\\?hls_session=[0-9a-f]+-[0-9a-f]{32}\"", mpd.BodyText);
        Assert.Matches("initialization=\"cam/video-init-[0-9a-f]{8}\\.mp4\\?hls_session=[0-9a-f]+-[0-9a-f]{32}\"", mpd.BodyText);
    }

    [Fact]
    public async Task A_session_token_of_another_stream_is_403()
    {
        using var cam = new CmafServer(PlayAuth);
        var other = cam.Server.Context.SessionTokens.Issue(new Streaming.Streams.StreamKey("default", "live", "other"), 60);
        var client = cam.Client();

        var response = await client.RequestAsync("GET", $"/live/cam/video-0.m4s?hls_session={other}", Eventually.Deadline());

        Assert.Equal(403, response.Status);
    }

    private static void PlayAuth(Appliance.Node.Config.ApplianceConfig config) =>
        config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = HmacKey };
}
