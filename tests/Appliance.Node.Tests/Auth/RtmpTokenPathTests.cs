using Appliance.Auth.Config;
using Appliance.Node.Config;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Auth;

/// <summary>
/// An HMAC token as a path element of an RTMP URL. Clients split the URL's path into the connect's
/// app and the stream name at a '/' of their choosing; every split of the same URL must publish
/// and play alike, and a broken element is refused with a log line saying what was expected.
/// </summary>
public class RtmpTokenPathTests
{
    private const string Key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static string Token(string acl) =>
        Signer.EdgeToken(Key, $"exp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}", "acl=" + acl);

    private static TestServer HmacServer() => new(config =>
    {
        config.Domains[0].Apps[0].Auth.Publish = new AuthRule { Scheme = AuthSchemes.Hmac, Key = Key };
        config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = Key };
    });

    /// <summary>Every (app, stream name) a client could make of the URL path by splitting it at one of its slashes.</summary>
    private static IEnumerable<(string App, string Name)> Splits(string path)
    {
        for (var at = path.IndexOf('/', 1); at > 0; at = path.IndexOf('/', at + 1))
        {
            if (at + 1 < path.Length)
            {
                yield return (path[1..at], path[(at + 1)..]);
            }
        }
    }

    private static async Task<RtmpClient> ConnectAsync(TestServer server, string app, CancellationToken ct)
    {
        var (connection, _) = server.StartRtmp();
        return await RtmpClient.ConnectAsync(connection.ClientStream(), app, $"rtmp://localhost/{app}", ct);
    }

    [Theory]
    [InlineData("/live/__token__={0}/cam")]
    [InlineData("/__token__={0}/live/cam")]
    public async Task EverySplitOfTheUrlPublishes(string template)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Token("/live/cam*"));
        var splits = Splits(path).ToList();
        // The acl's raw slashes make more places to split at than a plain /live/cam has.
        Assert.True(splits.Count >= 3, string.Join(" | ", splits));

        foreach (var (app, name) in splits)
        {
            using var server = HmacServer();
            var ct = Eventually.Deadline();
            await using var client = await ConnectAsync(server, app, ct);

            await client.PublishAsync(name, ct);

            Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
            Assert.Equal("default/live/cam", Assert.Single(server.Streams.Streams).Key.ToString());
        }
    }

    [Fact]
    public async Task APlayerWithTheElementSplitAcrossAppAndNamePlays()
    {
        using var server = HmacServer();
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        // As ffmpeg splits rtmp://host/live/__token__=exp=..~acl=/live/cam*~hmac=../cam: the app ends inside the acl.
        var token = Token("/live/cam*");
        var cut = token.IndexOf("/cam*", StringComparison.Ordinal);
        await using var client = await ConnectAsync(server, $"live/__token__={token[..cut]}", ct);

        await client.PlayAsync($"{token[(cut + 1)..]}/cam", ct);

        Assert.Equal("NetStream.Play.Start", client.LastStatusCode);
        Assert.NotNull(await RtmpClients.ReadMediaAsync(client, ct));
    }

    [Fact]
    public async Task AnElementInTheStreamNameBehindAPlainAppPublishes()
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();
        await using var client = await ConnectAsync(server, "live", ct);

        // OBS-style: Server rtmp://host/live, Stream Key holding the element and the name.
        await client.PublishAsync($"__token__={Token("/live/cam*")}/cam", ct);

        Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
    }

    [Theory]
    [InlineData("live/__token__=exp=1~acl=", "live/cam*~hmac=abc/cam", "holds an incomplete token element: expected /{name}=...~hmac={64 hex digits} followed by / or the end of the path")]
    [InlineData("live/__token__=exp=1~acl=", "cam", "holds an incomplete token element")]
    [InlineData("other/__token__={0}", "cam", "unknown app 'other'")]
    [InlineData("__token__={0}", "cam", "is not /{app}/{stream}")]
    public async Task ABrokenElementIsRefusedWithALogLineSayingWhatWasExpected(string app, string name, string logged)
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();
        var token = Token("/live/cam*");
        await using var client = await ConnectAsync(server, string.Format(System.Globalization.CultureInfo.InvariantCulture, app, token), ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync(name, ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        Assert.True(server.Logs.Contains(logged), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
    }

    [Fact]
    public async Task APathLongerThanAnySchemeReadsIsRefusedSayingSo()
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();
        await using var client = await ConnectAsync(server, "live/__token__=exp=1~acl=", ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync(new string('a', 3000) + "/cam", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        Assert.True(server.Logs.Contains("the path /{app}/{stream} is longer than 2048 characters"), server.Logs.Dump());
    }

    [Fact]
    public async Task AnAclOfTheSegmentsDoesNotCoverTheRtmpPath()
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();
        await using var client = await ConnectAsync(server, $"live/__token__={Uri.EscapeDataString(Token("/live/cam/*"))}", ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync("cam", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        Assert.True(server.Logs.Contains("AclMismatch"), server.Logs.Dump());
    }

    [Fact]
    public async Task AnElementOnAnAppWithAnotherSchemeIsRefused()
    {
        using var server = new TestServer(config => config.Domains[0].Apps[0].Auth.Publish = new AuthRule { Scheme = AuthSchemes.TypeA, Key = "k" });
        var ct = Eventually.Deadline();
        var app = $"live/__token__={Uri.EscapeDataString(Token("/live/*"))}";
        await using var client = await ConnectAsync(server, app, ct);

        // Type A signs the whole path as sent, element included; the element must not then be dropped to find the app.
        var signed = Signer.TypeA($"/{app}/cam", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "k");
        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync($"cam?{signed}", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        Assert.True(server.Logs.Contains("the token element in the path does not belong to the app's scheme"), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
    }

    [Fact]
    public async Task AnUnknownAppWithoutAnElementStartIsStillRejectedAtConnect()
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, "other/x=y", ct));

        Assert.True(server.Logs.Contains("unknown app 'other/x=y'"), server.Logs.Dump());
    }

    [Fact]
    public async Task AnElementAfterTheStreamNameIsRejectedAtConnectSayingWhereItGoes()
    {
        using var server = HmacServer();
        var ct = Eventually.Deadline();

        // ffmpeg makes rtmp://host/live/cam/__token__=... into the app "live/cam": no app, and no token start in it.
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, "live/cam", ct));

        Assert.True(server.Logs.Contains("unknown app 'live/cam': an app is one path element, and a token element in an RTMP URL goes before the stream name"),
            server.Logs.Dump());
    }

    [Fact]
    public async Task AnElementThatOpensTheAppIsResolvedOnTheTcUrlsHost()
    {
        // The app is known only at publish, once the element is out of the path: the domain must
        // still be the tcUrl host's, not the default one (which has an app of the same name).
        using var server = new TestServer(config =>
        {
            config.Domains[0].Apps[0].Auth.Publish = new AuthRule { Scheme = AuthSchemes.Hmac, Key = Key };
            config.Domains.Add(new DomainConfig
            {
                Name = "tv.example.com",
                Apps = [new AppConfig { Name = "live", Auth = new AuthConfig { Publish = new AuthRule { Scheme = AuthSchemes.Hmac, Key = Key } } }],
            });
        });
        var ct = Eventually.Deadline();
        var token = Token("/live/cam*");
        var (connection, _) = server.StartRtmp();
        await using var client = await RtmpClient.ConnectAsync(connection.ClientStream(), $"__token__={token}", $"rtmp://tv.example.com/__token__={token}", ct);

        await client.PublishAsync("live/cam", ct);

        Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
        Assert.NotNull(server.Streams.FindForPlay(new StreamKey("tv.example.com", "live", "cam")));
        Assert.Null(server.Streams.FindForPlay(new StreamKey("default", "live", "cam")));
    }
}
