using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Only viewers and publishers with a valid token get through, on every protocol; refusals are
/// 403 / an RTMP error status, with the reason in the log and never in the response.
/// </summary>
public sealed class AuthTests : IClassFixture<AuthTests.Fixture>
{
    public const string PlayKey = "play-secret-1234";
    public const string PublishKey = "publish-secret-5678";
    private readonly Fixture _fx;

    public AuthTests(Fixture fixture) => _fx = fixture;

    private DaemonProcess Daemon => _fx.Daemon;

    public sealed class Fixture : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; private set; } = null!;

        public ExternalProcess Publisher { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Daemon = await DaemonProcess.StartAsync(extraAppsJson: $$"""
                { "name": "secure",
                  "auth": {
                    "publish": { "scheme": "typeA", "key": "{{PublishKey}}" },
                    "play": { "scheme": "typeA", "key": "{{PlayKey}}", "ttlSeconds": 600 } } },
                { "name": "pathc", "auth": { "play": { "scheme": "typeC", "key": "{{PlayKey}}", "ttlSeconds": 600 } } },
                { "name": "hotlink", "auth": { "referer": { "allow": ["*.example.com", "example.org"], "allowEmpty": false } } },
                { "name": "blocked", "auth": { "ip": { "deny": ["127.0.0.0/8", "::1/128"] } } }
                """);
            Publisher = Ffmpeg.Publish(Daemon.RtmpUrl($"secure/cam?{Tokens.TypeA("/secure/cam", PublishKey, Tokens.Now)}"));
            await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(30));
        }

        public async Task DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await Daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_publish_without_a_valid_token_is_refused_with_BadName_and_the_reason_is_logged()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var client = await RtmpClients.ConnectAsync(Daemon.RtmpPort, "secure", cts.Token);

        var error = await Assert.ThrowsAsync<RtmpStatusException>(() =>
            client.PublishAsync($"other?{Tokens.TypeA("/secure/other", "wrong-key", Tokens.Now)}", cts.Token));

        Assert.StartsWith("NetStream.Publish.BadName", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", error.Message, StringComparison.OrdinalIgnoreCase);
        await Daemon.WaitForLogAsync(l => l.Contains("auth refused", StringComparison.Ordinal) && l.Contains("BadSignature", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Null(await StreamApi.FindAsync(Daemon, "other"));
    }

    private static readonly string[] BadKinds = ["expired", "tampered", "other-stream", "missing"];

    public static TheoryData<string> BadPlayTokens() => new(BadKinds);

    [Theory]
    [MemberData(nameof(BadPlayTokens))]
    public async Task Rtmp_play_with_a_bad_token_gets_Play_Failed(string kind)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var client = await RtmpClients.ConnectAsync(Daemon.RtmpPort, "secure", cts.Token);

        var error = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PlayAsync($"cam{BadQuery(kind, "/secure/cam")}", cts.Token));

        Assert.StartsWith("NetStream.Play.Failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rtmp_play_with_a_valid_token_plays_from_a_keyframe()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(Daemon.RtmpPort, "secure", $"cam?{Tokens.TypeA("/secure/cam", PlayKey, Tokens.Now)}", cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, TimeSpan.FromSeconds(20), "25 video frames");

        Assert.True(viewer.FirstVideoFrameWasKey);
    }

    [Theory]
    [InlineData("/secure/cam.flv")]
    [InlineData("/secure/cam.ts")]
    [InlineData("/secure/cam.m3u8")]
    public async Task Http_with_a_valid_token_is_200_and_with_a_bad_one_403_forbidden(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var kind in BadKinds)
        {
            var (tcp, _, head) = await RawHttp.GetAsync(Daemon.HttpPort, path + BadQuery(kind, path), cts.Token);
            tcp.Dispose();
            Assert.Equal(403, head.Status);
        }
        var forbidden = await RawHttp.ExchangeAsync(Daemon.HttpPort,
            System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), TimeSpan.FromSeconds(10));
        Assert.EndsWith("\r\n\r\nforbidden\n", forbidden, StringComparison.Ordinal);

        var (ok, _, okHead) = await RawHttp.GetAsync(Daemon.HttpPort, $"{path}?{Tokens.TypeA(path, PlayKey, Tokens.Now)}", cts.Token);
        ok.Dispose();
        Assert.Equal(200, okHead.Status);
    }

    [Fact]
    public async Task Hls_with_only_the_playlist_signed_plays_in_ffmpeg_and_unsigned_segments_are_refused()
    {
        var playlistUrl = Daemon.HttpUrl($"secure/cam.m3u8?{Tokens.TypeA("/secure/cam.m3u8", PlayKey, Tokens.Now)}");
        using var http = new HttpClient();
        var playlist = await http.GetStringAsync(playlistUrl);
        var segmentUri = playlist.Split('\n').First(l => l.Length > 0 && l[0] != '#');
        Assert.Contains("hls_session=", segmentUri, StringComparison.Ordinal);
        var bare = segmentUri[..segmentUri.IndexOf('?')];

        var unsigned = await http.GetAsync(Daemon.HttpUrl($"secure/{bare}"));
        var forged = await http.GetAsync(Daemon.HttpUrl($"secure/{bare}?hls_session=7fffffff-00000000000000000000000000000000"));
        var signed = await http.GetAsync(Daemon.HttpUrl($"secure/{segmentUri}"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, signed.StatusCode);
        var probe = await Ffmpeg.ProbeAsync(playlistUrl, seconds: 5, TimeSpan.FromSeconds(40));
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.True(probe.PacketsOf(probe.Video).Count >= 4 * 25, $"ffmpeg read only {probe.PacketsOf(probe.Video).Count} video packets with only the playlist signed");
    }

    [Fact]
    public async Task A_path_form_token_routes_and_plays_and_a_tampered_one_is_refused()
    {
        await using var publisher = Ffmpeg.Publish(Daemon.RtmpUrl("pathc/pcam"));
        await StreamApi.WaitForFramesAsync(Daemon, "pcam", minFrames: 25, TimeSpan.FromSeconds(30));
        var signed = Tokens.TypeCPath("/pathc/pcam.flv", PlayKey, Tokens.Now);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(Daemon.HttpPort, signed, cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 10, TimeSpan.FromSeconds(20), "10 video frames");
        var tampered = "/" + (signed[1] == 'a' ? 'b' : 'a') + signed[2..];
        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(Daemon.HttpPort, tampered, cts.Token));

        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task Open_apps_need_no_token_and_the_status_counts_each_refusal()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var before = await RefusedAsync();
        var (denied, _, deniedHead) = await RawHttp.GetAsync(Daemon.HttpPort, "/secure/cam.flv", cts.Token);
        denied.Dispose();
        var (open, _, openHead) = await RawHttp.GetAsync(Daemon.HttpPort, "/live/nobody.flv", cts.Token);
        open.Dispose();

        Assert.Equal(403, deniedHead.Status);
        Assert.Equal(404, openHead.Status);
        Assert.Equal(before + 1, await RefusedAsync());
    }

    private static string BadQuery(string kind, string path) => kind switch
    {
        "expired" => "?" + Tokens.TypeA(path, PlayKey, Tokens.Now - 3600),
        "tampered" => "?" + Flip(Tokens.TypeA(path, PlayKey, Tokens.Now)),
        "other-stream" => "?" + Tokens.TypeA(path.Replace("cam", "other", StringComparison.Ordinal), PlayKey, Tokens.Now),
        _ => "",
    };

    private static string Flip(string token) => token[..^1] + (token[^1] == '0' ? '1' : '0');

    private async Task<long> RefusedAsync()
    {
        using var http = new HttpClient();
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(Daemon.AdminUrl("api/status")));
        return doc.RootElement.GetProperty("auth").GetProperty("refused").GetInt64();
    }

    [Theory]
    [InlineData("https://www.example.com/page", 404)]
    [InlineData("https://example.com/", 403)]
    [InlineData("https://cdn.example.org:8443/x", 404)]
    [InlineData("https://example.org/", 404)]
    [InlineData("https://example.org.evil.test/", 403)]
    [InlineData("https://evil.test/", 403)]
    [InlineData(null, 403)]
    public async Task The_referer_allow_list_lets_matching_sites_through_and_refuses_others(string? referer, int status)
    {
        var request = $"GET /hotlink/none.flv HTTP/1.1\r\nHost: x\r\n{(referer is null ? "" : $"Referer: {referer}\r\n")}Connection: close\r\n\r\n";

        var response = await RawHttp.ExchangeAsync(Daemon.HttpPort, System.Text.Encoding.ASCII.GetBytes(request), TimeSpan.FromSeconds(10));

        Assert.StartsWith($"HTTP/1.1 {status}", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_address_is_refused_on_http_and_rtmp()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = await RawHttp.ExchangeAsync(Daemon.HttpPort,
            System.Text.Encoding.ASCII.GetBytes("GET /blocked/none.flv HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), TimeSpan.FromSeconds(10));
        await using var client = await RtmpClients.ConnectAsync(Daemon.RtmpPort, "blocked", cts.Token);

        var rtmp = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PlayAsync("none", cts.Token));

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.StartsWith("NetStream.Play.Failed", rtmp.Message, StringComparison.Ordinal);
        await Daemon.WaitForLogAsync(l => l.Contains("IpDenied", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_path_prefix_the_apps_scheme_did_not_verify_is_refused_even_with_a_valid_token()
    {
        // Shaped like a Type B prefix, on an app whose scheme (Type A) signs the whole path as it came.
        var path = "/202611240000/0123456789abcdef0123456789abcdef/secure/cam.flv";
        var request = $"GET {path}?{Tokens.TypeA(path, PlayKey, Tokens.Now)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

        var response = await RawHttp.ExchangeAsync(Daemon.HttpPort, System.Text.Encoding.ASCII.GetBytes(request), TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        await Daemon.WaitForLogAsync(l => l.Contains("token prefix or element in the path does not belong to the app's scheme", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
