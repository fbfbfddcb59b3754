using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Every token scheme of AUTH.md through the real daemon, on RTMP play and HTTP-FLV: a valid token
/// plays; an expired, tampered or other-stream token is refused (HMAC also: a wrong bound IP).
/// </summary>
public sealed partial class AuthSchemeTests : IClassFixture<AuthSchemeTests.Fixture>
{
    private const string Key = "scheme-key-0001";
    private const string HexKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private readonly Fixture _fx;

    public AuthSchemeTests(Fixture fixture) => _fx = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; private set; } = null!;

        public List<ExternalProcess> Publishers { get; } = [];

        public async Task InitializeAsync()
        {
            Daemon = await DaemonProcess.StartAsync(extraAppsJson: $$"""
                { "name": "a", "auth": { "play": { "scheme": "typeA", "key": "{{Key}}" } } },
                { "name": "b", "auth": { "play": { "scheme": "typeB", "key": "{{Key}}" } } },
                { "name": "c", "auth": { "play": { "scheme": "typeC", "key": "{{Key}}" } } },
                { "name": "s", "auth": { "play": { "scheme": "streamSecret", "key": "{{Key}}" } } },
                { "name": "h", "auth": { "play": { "scheme": "hmac", "key": "{{HexKey}}" } } }
                """);
            foreach (var app in new[] { "a", "b", "c", "s", "h" })
            {
                Publishers.Add(Ffmpeg.Publish(Daemon.RtmpUrl($"{app}/{app}cam"), size: "320x180"));
            }
            foreach (var app in new[] { "a", "b", "c", "s", "h" })
            {
                await StreamApi.WaitForFramesAsync(Daemon, $"{app}cam", minFrames: 10, TimeSpan.FromSeconds(40));
            }
        }

        public async Task DisposeAsync()
        {
            foreach (var publisher in Publishers)
            {
                await publisher.DisposeAsync();
            }
            await Daemon.DisposeAsync();
        }
    }

    public static TheoryData<string, string> Cases() => CasesOf("a", "b", "c", "s", "h");

    // Type B carries its token in the path, which RTMP has no place for.
    public static TheoryData<string, string> RtmpCases() => CasesOf("a", "c", "s", "h");

    private static TheoryData<string, string> CasesOf(params string[] schemes)
    {
        var data = new TheoryData<string, string>();
        foreach (var scheme in schemes)
        {
            foreach (var kind in new[] { "valid", "expired", "tampered", "other-stream" })
            {
                data.Add(scheme, kind);
            }
        }
        data.Add("h", "wrong-ip");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Http_flv(string scheme, string kind)
    {
        var path = Sign(scheme, kind, $"/{scheme}/{scheme}cam.flv", $"{scheme}cam");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        if (kind == "valid")
        {
            await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(_fx.Daemon.HttpPort, path, cts.Token));
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 5, TimeSpan.FromSeconds(15), "5 video frames");
            return;
        }
        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(_fx.Daemon.HttpPort, path, cts.Token));
        Assert.Equal(403, refused.Status);
    }

    [Theory]
    [MemberData(nameof(RtmpCases))]
    public async Task Rtmp_play(string scheme, string kind)
    {
        var signed = Sign(scheme, kind, $"/{scheme}/{scheme}cam", $"{scheme}cam");
        // "/{app}/{name}?{token}": the stream name with its token query, as an RTMP client sends it.
        var stream = signed[$"/{scheme}/".Length..];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        if (kind == "valid")
        {
            await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(_fx.Daemon.RtmpPort, scheme, stream, cts.Token));
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 5, TimeSpan.FromSeconds(15), "5 video frames");
            return;
        }
        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => RtmpViewer.PlayAsync(_fx.Daemon.RtmpPort, scheme, stream, cts.Token));
        Assert.StartsWith("NetStream.Play.Failed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rtmp_token_may_ride_in_the_tcUrl_query()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tcUrl = $"rtmp://127.0.0.1:{_fx.Daemon.RtmpPort}/a?{Tokens.TypeA("/a/acam", Key, Tokens.Now)}";
        await using var client = await RtmpClients.ConnectAsync(_fx.Daemon.RtmpPort, "a", cts.Token, tcUrl);

        await client.PlayAsync("acam", cts.Token);

        Assert.Equal("NetStream.Play.Start", client.LastStatusCode);
    }

    /// <summary>The URL path (with its query) for <paramref name="path"/> signed as the case asks.</summary>
    private static string Sign(string scheme, string kind, string path, string stream)
    {
        var now = Tokens.Now;
        var time = kind == "expired" ? now - 7200 : now;
        var signedPath = kind == "other-stream" ? path.Replace("cam", "other", StringComparison.Ordinal) : path;
        var otherStream = kind == "other-stream" ? stream.Replace("cam", "other", StringComparison.Ordinal) : stream;
        var result = scheme switch
        {
            "a" => $"{path}?{Tokens.TypeA(signedPath, Key, time)}",
            "b" => Tokens.TypeBPath(signedPath, Key, time)[..^signedPath.Length] + path,
            "c" => $"{path}?{Tokens.TypeCQuery(signedPath, Key, time)}",
            "s" => $"{path}?{Tokens.StreamSecret(otherStream, Key, kind == "expired" ? now - 60 : now + 600)}",
            _ => $"{path}?{Tokens.Hmac(kind == "other-stream" ? $"/{scheme}/other*" : $"/{scheme}/*", HexKey, time - 60, time + (kind == "expired" ? -30 : 600), kind == "wrong-ip" ? "10.9.8.7" : null)}",
        };
        return kind == "tampered" ? Tamper(result) : result;
    }

    /// <summary>Changes one hex digit of the signature (the last run of hex in the URL).</summary>
    private static string Tamper(string url)
    {
        var marks = new[] { "auth_key=", "sign=", "txSecret=", "hmac=" };
        foreach (var mark in marks)
        {
            var at = url.IndexOf(mark, StringComparison.Ordinal);
            if (at >= 0)
            {
                var i = url.Length - 1;
                if (mark is "sign=" or "txSecret=")
                {
                    i = at + mark.Length;
                }
                return url[..i] + (url[i] == '0' ? '1' : '0') + url[(i + 1)..];
            }
        }
        // Type B: the hash is the second path segment.
        var second = url.IndexOf('/', 1) + 1;
        return url[..second] + (url[second] == '0' ? '1' : '0') + url[(second + 1)..];
    }
}
