using System.Text.Json;
using Appliance.Auth.Config;
using Appliance.Node.Tests.Packaging;
using Appliance.Node.Tests.Support;

namespace Appliance.Node.Tests.Http;

/// <summary>
/// HLS requests through the HTTP session count to the player's HLS session: its bytes, the
/// stream's viewers, the viewer limit and the table's bound (503 for a new player, the known
/// one goes on), a kick (403), and the session token of an authorized playlist.
/// </summary>
public class HlsViewerSessionTests
{
    private const string HmacKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    [Fact]
    public async Task A_players_playlists_and_segments_are_one_hls_session_with_every_byte_sent_and_its_connection_stays_http()
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var responses = new[]
        {
            await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1")),
            await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/1")),
            await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1")),
            await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/1") + "Range: bytes=0-187\r\n"),
        };
        var listing = await new HttpClientSide(server, admin: true).RequestAsync("GET", "/api/streams", ct);

        Assert.Equal(new[] { 200, 200, 200, 206 }, responses.Select(r => r.Status));
        var session = Assert.Single(server.Context.HlsSessions.Sessions);
        Assert.Equal(responses.Sum(r => r.Head.Length + 4L + r.Body.Length), session.BytesOut);
        Assert.Equal("127.0.0.1", session.Client);
        Assert.Equal("default/live/cam", session.StreamPath);
        using var json = JsonDocument.Parse(listing.Body);
        var viewers = json.RootElement.GetProperty("streams")[0].GetProperty("viewers");
        Assert.Equal(1, viewers.GetProperty("hls").GetInt32());
        Assert.Equal(0, viewers.GetProperty("ts").GetInt32());
        // The connection is the transport: "hls" names the player's session alone.
        Assert.DoesNotContain(server.Sessions.Sessions, s => s.Protocol == "hls");
    }

    [Fact]
    public async Task Another_user_agent_is_another_player_and_head_requests_count_to_none()
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        await client.RequestAsync("HEAD", "/live/cam.m3u8", ct, Agent("probe/1"));
        await client.RequestAsync("HEAD", "/live/cam/0.ts", ct, Agent("probe/1"));
        var headOnly = server.Context.HlsSessions.Count;
        await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1"));
        await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/2"));
        await client.RequestAsync("GET", "/live/cam/0.ts", ct);

        Assert.Equal(0, headOnly);
        Assert.Equal(3, server.Context.HlsSessions.Count);
        Assert.Equal(3, server.Streams.Streams.Single().CountViewers().Hls);
    }

    [Fact]
    public async Task With_play_auth_the_segments_carrying_the_session_token_count_to_the_player_that_fetched_the_playlist()
    {
        using var server = ServerWithCam(config => config.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.Hmac, Key = HmacKey });
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        var token = Signer.EdgeToken(HmacKey, $"exp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}", "acl=/live/cam*");

        long expected = 0;
        foreach (var agent in new[] { "player/1", "player/1", "player/2" })
        {
            var playlist = await client.RequestAsync("GET", $"/live/cam.m3u8?__token__={token}", ct, Agent(agent));
            var uri = playlist.BodyText.Split('\n').First(line => line.StartsWith("cam/", StringComparison.Ordinal));
            Assert.Contains("hls_session=", uri, StringComparison.Ordinal);
            var segment = await client.RequestAsync("GET", "/live/" + uri, ct, Agent(agent));
            Assert.Equal(200, segment.Status);
            expected += agent == "player/1" ? playlist.Head.Length + segment.Head.Length + 8L + playlist.Body.Length + segment.Body.Length : 0;
        }

        var sessions = server.Context.HlsSessions.Sessions.OrderBy(s => s.Id).ToList();
        Assert.Equal(2, sessions.Count);
        Assert.Equal(expected, sessions[0].BytesOut);
    }

    [Fact]
    public async Task Past_maxViewersPerStream_a_new_player_gets_503_and_the_playing_one_goes_on()
    {
        using var server = ServerWithCam(config => config.Domains[0].Apps[0].MaxViewersPerStream = 1);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var first = await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1"));
        var secondPlaylist = await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/2"));
        var secondSegment = await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/2"));
        var flv = await new HttpClientSide(server).RequestAsync("GET", "/live/cam.flv", ct);
        var firstGoesOn = await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/1"));

        Assert.Equal(200, first.Status);
        Assert.Equal(503, secondPlaylist.Status);
        Assert.Equal("stream full\n", secondPlaylist.BodyText);
        Assert.Equal(503, secondSegment.Status);
        Assert.Equal(503, flv.Status);
        Assert.Equal(200, firstGoesOn.Status);
        Assert.True(server.Logs.Contains("stream default/live/cam has its maximum of 1 viewers"), server.Logs.Dump());
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task Past_maxHlsSessions_a_new_player_gets_503_with_a_log_line()
    {
        using var server = ServerWithCam(config => config.Limits.MaxHlsSessions = 2);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var statuses = new List<int>();
        foreach (var agent in new[] { "a", "b", "c", "d", "a" })
        {
            statuses.Add((await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent(agent))).Status);
        }

        Assert.Equal(new[] { 200, 200, 503, 503, 200 }, statuses);
        Assert.True(server.Logs.Contains("HLS session limit reached (2)"), server.Logs.Dump());
        Assert.Equal(2, server.Context.HlsSessions.Count);
    }

    [Fact]
    public async Task A_kicked_players_requests_get_403_and_other_players_go_on()
    {
        using var server = ServerWithCam();
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1"));
        var session = Assert.Single(server.Context.HlsSessions.Sessions);

        Assert.NotNull(server.Context.HlsSessions.Kick(session.Id, "kicked by the operator"));
        var playlist = await client.RequestAsync("GET", "/live/cam.m3u8", ct, Agent("player/1"));
        var segment = await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/1"));
        var other = await client.RequestAsync("GET", "/live/cam/0.ts", ct, Agent("player/2"));

        Assert.Equal(403, playlist.Status);
        Assert.Equal("forbidden\n", playlist.BodyText);
        Assert.Equal(403, segment.Status);
        Assert.Equal(200, other.Status);
        Assert.Contains(server.Logs.Lines, l => l.Category == "access" && l.Message.StartsWith("access proto=hls client=127.0.0.1 stream=default/live/cam status=200 in=0 out=", StringComparison.Ordinal)
            && l.Message.EndsWith("reason=\"kicked by the operator\"", StringComparison.Ordinal));
    }

    private static string Agent(string agent) => $"User-Agent: {agent}\r\n";

    /// <summary>A node with "cam" live and one HLS segment complete.</summary>
    private static TestServer ServerWithCam(Action<Appliance.Node.Config.ApplianceConfig>? configure = null)
    {
        var server = new TestServer(config =>
        {
            config.Domains[0].Apps[0].Hls.MinSegments = 1;
            configure?.Invoke(config);
        });
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_000);
        stream.RequestHls();
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_000, 2_040);
        return server;
    }
}
