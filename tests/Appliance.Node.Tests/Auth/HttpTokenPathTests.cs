using Appliance.Auth.Config;
using Appliance.Tests.Support;
using Appliance.Node.Tests.Packaging;
using Appliance.Tests.Support;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Auth;

/// <summary>
/// An HMAC token as a path element through the HTTP session, on FLV, TS, the playlist and its
/// segments: anywhere in the path, its acl's slashes raw; refusals are 403 with a log line.
/// </summary>
public class HttpTokenPathTests
{
    private const string Key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static string Token(string acl) =>
        Signer.EdgeToken(Key, $"exp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}", "acl=" + acl);

    /// <summary>A node whose live app plays only with an HMAC token, with "cam" live and one HLS segment complete.</summary>
    private static TestServer ServerWithCam()
    {
        var server = new TestServer(config =>
        {
            config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = Key };
            config.Domains[0].Apps[0].Hls.MinSegments = 1;
        });
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_000);
        stream.RequestHls();
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_000, 2_040);
        return server;
    }

    [Theory]
    [InlineData("/__token__={0}/live/cam.flv", "video/x-flv")]
    [InlineData("/live/__token__={0}/cam.flv", "video/x-flv")]
    [InlineData("/live/cam.flv/__token__={0}", "video/x-flv")]
    [InlineData("/__token__={0}/live/cam.ts", "video/mp2t")]
    [InlineData("/live/__token__={0}/cam.ts", "video/mp2t")]
    public async Task ALiveStreamPlaysWithTheElementAnywhereAndItsAclsSlashesRaw(string template, string contentType)
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Token("/live/cam*")), Eventually.Deadline());

        Assert.Equal(200, response.Status);
        Assert.Equal(contentType, response.Header("Content-Type"));
        Assert.False(server.Logs.Contains("auth refused"), server.Logs.Dump());
    }

    [Fact]
    public async Task APlaylistUnderAnElementListsSegmentsThatPlayWhereThePlayerResolvesThem()
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        var prefix = $"/__token__={Token("/live/cam*")}/live/";

        var playlist = await client.RequestAsync("GET", prefix + "cam.m3u8", ct);
        var uri = playlist.BodyText.Split('\n').First(line => line.StartsWith("cam/", StringComparison.Ordinal));
        // Relative to the playlist's URL, as a player resolves it: the element is inherited.
        var segment = await client.RequestAsync("GET", prefix + uri, ct);
        // Without the node's session token the segment is checked by the token itself.
        var bare = await client.RequestAsync("GET", prefix + uri[..uri.IndexOf('?', StringComparison.Ordinal)], ct);

        Assert.Equal(200, playlist.Status);
        Assert.StartsWith("cam/0.ts?hls_session=", uri, StringComparison.Ordinal);
        Assert.Equal(200, segment.Status);
        Assert.Equal(server.Streams.Streams.Single().HlsWindow!.Segments[0].File.Memory.Span.ToArray(), segment.Body);
        Assert.Equal(200, bare.Status);
        Assert.Equal(segment.Body, bare.Body);
    }

    [Theory]
    // "/live/cam/*" covers the segments only: the literal "/" after cam is not in "/live/cam.flv".
    [InlineData("/live/cam/*", "/live/cam.flv")]
    [InlineData("/live/cam/*", "/live/cam.m3u8")]
    [InlineData("/live/cam.m3u8", "/live/cam/0.ts")]
    [InlineData("/live/other*", "/live/cam.ts")]
    public async Task APathOutsideTheAclIs403WithTheReasonLogged(string acl, string path)
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var slash = path.IndexOf('/', 1);

        var response = await client.RequestAsync("GET", $"{path[..slash]}/__token__={Token(acl)}{path[slash..]}", Eventually.Deadline());

        Assert.Equal(403, response.Status);
        Assert.Equal("forbidden\n", response.BodyText);
        Assert.True(server.Logs.Contains("AclMismatch"), server.Logs.Dump());
    }

    [Theory]
    [InlineData("/live/__token__=garbage/cam.flv")]
    [InlineData("/__token__=exp=1~acl=%2Flive%2F*~hmac=abc/live/cam.flv")]
    public async Task AnElementThatDoesNotEndAtItsHmacIs403AndTheLogSaysWhatWasExpected(string path)
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var response = await client.RequestAsync("GET", path, ct);

        Assert.Equal(403, response.Status);
        Assert.True(server.Logs.Contains("the __token__= path element must end with ~hmac= and 64 hex digits, then / or the end of the path"), server.Logs.Dump());
        Assert.False(client.Run.IsCompleted);
    }

    [Theory]
    [InlineData("/live/__token__=exp=1~acl=/live/*~hmac=abc/cam.flv")]
    [InlineData("/live/__token__=exp=1~acl=/live/cam*/cam.flv")]
    [InlineData("/__token__=exp=1~acl=/live/*/live/cam.flv")]
    public async Task AnIncompleteElementWithRawSlashesCannotBeRoutedAndTheLogSaysWhatWasExpected(string path)
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        // Where such an element ends is unknown, so no stream can be named: not found, and why.
        Assert.Equal(404, response.Status);
        Assert.True(server.Logs.Contains("the path holds an incomplete token element: expected /{name}=...~hmac={64 hex digits} followed by / or the end of the path"),
            server.Logs.Dump());
    }

    [Fact]
    public async Task AnElementOnAnAppWithAnotherSchemeIsRefused()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.TypeA, Key = "k" });
        HttpTsSessionTests.PublishTsLive(server, "cam", new Frames(), untilMs: 1_000);
        var client = new HttpClientSide(server);
        var path = $"/__token__={Token("/live/*")}/live/cam.flv";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Type A signs the whole path as sent, element included; the element must not then be dropped to route.
        var response = await client.RequestAsync("GET", $"{path}?{Signer.TypeA(path, now, "k")}", Eventually.Deadline());

        Assert.Equal(403, response.Status);
        Assert.True(server.Logs.Contains("does not belong to the app's scheme"), server.Logs.Dump());
    }
}
