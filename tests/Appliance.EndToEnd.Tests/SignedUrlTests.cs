using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// URLs made by `appliancectl sign` play on a daemon whose app has that scheme and key (ffprobe as
/// the player), on every protocol and form the tool offers; the same URL unsigned, or signed with
/// an expiry in the past, is refused and the daemon's log says why.
/// </summary>
public sealed class SignedUrlTests : IClassFixture<SignedUrlTests.Fixture>
{
    private const string Key = "sign-e2e-key-0001";
    private const string HexKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);
    private readonly Fixture _fx;

    public SignedUrlTests(Fixture fixture) => _fx = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; private set; } = null!;

        public List<ExternalProcess> Publishers { get; } = [];

        public async Task InitializeAsync()
        {
            Daemon = await DaemonProcess.StartAsync(extraAppsJson: $$"""
                { "name": "a", "auth": { "play": { "scheme": "typeA", "key": "{{Key}}" } } },
                { "name": "b", "auth": { "play": { "scheme": "typeB", "key": "{{Key}}", "ttlSeconds": 600 } } },
                { "name": "c", "auth": { "play": { "scheme": "typeC", "key": "{{Key}}" } } },
                { "name": "s", "auth": { "play": { "scheme": "streamSecret", "key": "{{Key}}" } } },
                { "name": "h", "auth": { "play": { "scheme": "hmac", "key": "{{HexKey}}" } } }
                """);
            foreach (var app in Apps)
            {
                Publishers.Add(Ffmpeg.Publish(Daemon.RtmpUrl($"{app}/{app}cam"), size: "320x180"));
            }
            foreach (var app in Apps)
            {
                await StreamApi.WaitForFramesAsync(Daemon, $"{app}cam", minFrames: 10, Wait);
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

    private static readonly string[] Apps = ["a", "b", "c", "s", "h"];

    private static readonly Dictionary<string, string> Schemes = new()
    {
        ["a"] = "typeA", ["b"] = "typeB", ["c"] = "typeC", ["s"] = "streamSecret", ["h"] = "hmac",
    };

    public static TheoryData<string, string, string> Playable() => new()
    {
        { "a", "rtmp", "" },
        { "a", "m3u8", "" },
        { "b", "flv", "--ttl 600" },
        { "c", "ts", "--form path" },
        { "c", "rtmp", "" },
        { "s", "rtmp", "" },
        { "s", "flv", "" },
        { "h", "flv", "--form path --acl /h/hcam*" },
        { "h", "rtmp", "" },
        { "h", "m3u8", "--form path" },
    };

    [Theory]
    [MemberData(nameof(Playable))]
    public async Task A_url_signed_by_appliancectl_plays(string app, string protocol, string options)
    {
        var signed = await SignAsync(app, Url(app, protocol), "10m", options);

        var probe = await Ffmpeg.ProbeAsync(signed, 2, Wait);

        Assert.Equal(320, probe.Video.Width);
        Assert.NotEmpty(probe.PacketsOf(probe.Video));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    [InlineData("s")]
    [InlineData("h")]
    public async Task The_same_url_unsigned_or_expired_is_refused(string app)
    {
        var url = Url(app, "flv");
        var expired = await SignAsync(app, url, "-1h", app == "b" ? "--ttl 600" : "");

        await ExpectRefusedAsync(app, url, "MissingToken");
        await ExpectRefusedAsync(app, expired, "Expired");
    }

    [Fact]
    public async Task An_expiry_before_2001_or_an_option_of_another_scheme_is_a_usage_error()
    {
        var bare = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Ctl, "sign", "--scheme", "typeA", "--key", Key, "--expires", "3600", Url("a", "flv"));
        var misplaced = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Ctl, "sign", "--scheme", "typeA", "--key", Key, "--expires", "1h", "--acl", "/a/*", Url("a", "flv"));
        var rtmpTypeB = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Ctl, "sign", "--scheme", "typeB", "--key", Key, "--expires", "1h", Url("b", "rtmp"));

        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("--expires takes a duration from now (90s, 30m, 1h, 7d, -1h)", bare.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, misplaced.ExitCode);
        Assert.Contains("--acl goes with --scheme hmac", misplaced.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, rtmpTypeB.ExitCode);
        Assert.Contains("typeB carries its token in the path, which RTMP has no place for", rtmpTypeB.Stderr, StringComparison.Ordinal);
        Assert.Equal("", bare.Stdout + misplaced.Stdout + rtmpTypeB.Stdout);
    }

    private string Url(string app, string protocol) => protocol == "rtmp"
        ? _fx.Daemon.RtmpUrl($"{app}/{app}cam")
        : _fx.Daemon.HttpUrl($"{app}/{app}cam.{protocol}");

    /// <summary>Runs the real appliancectl sign and returns the URL it printed.</summary>
    private static async Task<string> SignAsync(string app, string url, string expires, string options)
    {
        string[] args = ["sign", "--scheme", Schemes[app], "--key", app == "h" ? HexKey : Key, "--expires", expires,
            .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), url];
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Ctl, args);
        Assert.True(run.ExitCode == 0, $"appliancectl {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}");
        var signed = run.Stdout.Trim();
        Assert.NotEqual(url, signed);
        return signed;
    }

    /// <summary>ffprobe gets 403, and the daemon logs one more refusal of the stream for <paramref name="reason"/>.</summary>
    private async Task ExpectRefusedAsync(string app, string url, string reason)
    {
        var line = $"refused for default/{app}/{app}cam: refused ({reason})";
        var before = _fx.Daemon.Lines.Count(l => l.Contains(line, StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Ffmpeg.ProbeAsync(url, 2, Wait));

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        while (_fx.Daemon.Lines.Count(l => l.Contains(line, StringComparison.Ordinal)) <= before)
        {
            Assert.True(Environment.TickCount64 < deadline, $"no '{line}' in the log:\n{string.Join('\n', _fx.Daemon.Lines.TakeLast(20))}");
            await Task.Delay(50);
        }
    }
}
