using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Encrypted HLS behind a play token: players with the token play it, the key URL refuses anyone
/// without the token the segments carry, keys rotate every N segments, and CMAF is not served in the clear.
/// </summary>
public sealed class HlsEncryptionTests(HlsEncryptionTests.Fixture fx) : IClassFixture<HlsEncryptionTests.Fixture>
{
    public const string PlayKey = "play-secret-1234";
    public const string Secret = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    public const int Rotation = 2;
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);

    private DaemonProcess Daemon => fx.Daemon;

    public sealed class Fixture : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; private set; } = null!;

        public ExternalProcess Publisher { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Daemon = await DaemonProcess.StartAsync(
                appJson: $$"""
                    "hls": { "always": true, "encryption": { "enabled": true, "rotateEverySegments": {{Rotation}} } },
                    "auth": { "play": { "scheme": "typeA", "key": "{{PlayKey}}", "ttlSeconds": 600 } }
                    """,
                rootJson: $$""" "security": { "hlsKeySecret": "{{Secret}}" }, """);
            Publisher = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"));
            await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(30));
        }

        public async Task DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await Daemon.DisposeAsync();
        }
    }

    private static string PlaylistPath => $"/live/cam.m3u8?{Tokens.TypeA("/live/cam.m3u8", PlayKey, Tokens.Now)}";

    /// <summary>A playlist with at least <paramref name="segments"/> segments, as an authorized player gets it.</summary>
    private Task<HlsPlaylist> PlaylistAsync(int segments) =>
        Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= segments, PlayTimeout, $"{segments} segments");

    [Fact]
    public async Task Ffprobe_with_the_token_reads_10s_of_h264_and_aac_decrypted()
    {
        await PlaylistAsync(3);

        var probe = await Ffmpeg.ProbeAsync(Daemon.HttpUrl(PlaylistPath[1..]), seconds: 10, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal("aac", probe.Audio.CodecName);
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 9.5);
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task Ffmpeg_with_the_token_copies_10s_without_an_error_line()
    {
        await PlaylistAsync(3);

        await using var player = await FfmpegPlayback.CopyAsync(Daemon.HttpUrl(PlaylistPath[1..]), 10, PlayTimeout);

        Assert.Equal(0, player.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(player.Stderr));
    }

    [Fact]
    public async Task The_key_URL_carries_the_session_token_and_its_key_decrypts_the_segment_to_TS()
    {
        using var cts = new CancellationTokenSource(PlayTimeout);
        var playlist = await PlaylistAsync(2);
        var (sequence, keyUri, _) = EncryptedHls.Keys(playlist.Text)[^1];
        Assert.Matches($@"^cam/key-{sequence / Rotation}\.key\?hls_session=[0-9a-f]+-[0-9a-f]{{32}}$", keyUri);

        var key = await Hls.GetAsync(Daemon, EncryptedHls.PathOf("live", keyUri), cts.Token);
        var segment = await Hls.GetAsync(Daemon, EncryptedHls.PathOf("live", playlist.Entries[^1].Uri), cts.Token);

        Assert.Equal(200, key.Status);
        Assert.Equal(16, key.Body.Length);
        Assert.Equal("private, no-store", key.Header("Cache-Control"));
        Assert.Equal("application/octet-stream", key.Header("Content-Type"));
        Assert.Equal(200, segment.Status);
        Assert.NotEqual(0x47, segment.Body[0]);
        EncryptedHls.AssertTs(EncryptedHls.Decrypt(segment.Body, key.Body, sequence), $"segment {sequence}");
    }

    public static TheoryData<string> Refused => new() { "none", "tampered session", "expired session", "another stream's session" };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task The_key_URL_without_a_valid_token_is_403(string kind)
    {
        using var cts = new CancellationTokenSource(PlayTimeout);
        var playlist = await PlaylistAsync(1);
        var keyUri = EncryptedHls.Keys(playlist.Text)[0].KeyUri;
        var bare = keyUri[..keyUri.IndexOf('?')];
        var session = keyUri[(keyUri.IndexOf('=') + 1)..];
        var dash = session.IndexOf('-');
        var query = kind switch
        {
            "none" => "",
            // Last hex digit of the MAC changed.
            "tampered session" => "?hls_session=" + session[..^1] + (session[^1] == '0' ? '1' : '0'),
            "expired session" => "?hls_session=" + (Tokens.Now - 10).ToString("x") + session[dash..],
            _ => "?hls_session=" + session,
        };
        var path = kind == "another stream's session" ? $"/live/other/{bare["cam/".Length..]}{query}" : EncryptedHls.PathOf("live", bare + query);

        var response = await Hls.GetAsync(Daemon, path, cts.Token);

        Assert.Equal(403, response.Status);
        Assert.NotEqual(16, response.Body.Length);
    }

    [Fact]
    public async Task The_key_URL_with_the_apps_own_token_is_served_like_a_segment()
    {
        using var cts = new CancellationTokenSource(PlayTimeout);
        var playlist = await PlaylistAsync(1);
        var bare = EncryptedHls.Keys(playlist.Text)[0].KeyUri.Split('?')[0];
        var path = EncryptedHls.PathOf("live", bare);

        var signed = await Hls.GetAsync(Daemon, $"{path}?{Tokens.TypeA(path, PlayKey, Tokens.Now)}", cts.Token);
        var wrongKey = await Hls.GetAsync(Daemon, $"{path}?{Tokens.TypeA(path, "not-the-key", Tokens.Now)}", cts.Token);

        Assert.Equal(200, signed.Status);
        Assert.Equal(16, signed.Body.Length);
        Assert.Equal(403, wrongKey.Status);
    }

    [Fact]
    public async Task The_key_URI_changes_exactly_every_N_segments()
    {
        var seen = new Dictionary<long, string>();
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= 5, PlayTimeout, "5 segments");

        var keys = EncryptedHls.Keys(playlist.Text);
        for (var i = 0; i < keys.Count; i++)
        {
            var (sequence, uri, tagged) = keys[i];
            Assert.StartsWith($"cam/key-{sequence / Rotation}.key?", uri);
            // A tag at the top of the window and wherever the key changes, nowhere else.
            Assert.True(tagged == (i == 0 || sequence % Rotation == 0), $"segment {sequence}: tagged {tagged}\n{playlist.Text}");
        }
        Assert.Contains(keys, k => k.Sequence % Rotation == 0 && k != keys[0]);
        Assert.DoesNotContain("IV=", playlist.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/live/cam/cmaf.m3u8")]
    [InlineData("/live/cam/llhls.m3u8")]
    [InlineData("/live/cam.mpd")]
    public async Task Cmaf_routes_are_refused_with_404_and_a_log_line_rather_than_served_clear(string route)
    {
        using var cts = new CancellationTokenSource(PlayTimeout);
        var token = Tokens.TypeA(route, PlayKey, Tokens.Now);

        var response = await Hls.GetAsync(Daemon, $"{route}?{token}", cts.Token);

        Assert.Equal(404, response.Status);
        Assert.Contains("this app encrypts HLS", response.Text, StringComparison.Ordinal);
        await Daemon.WaitForLogAsync(l => l.Contains("are not served for an app with hls.encryption", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Appliancectl_config_does_not_show_the_key_secret()
    {
        var config = await Appliancectl.RunAsync(Daemon, "config");

        Assert.Equal(0, config.ExitCode);
        Assert.Contains("hlsKeySecret", config.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, config.Stdout, StringComparison.OrdinalIgnoreCase);
    }
}
