using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// The HMAC token as a path element, its acl's slashes raw, through the real daemon and real
/// clients, in every form docs/auth.md shows: RTMP (ffmpeg splits the URL itself), HTTP-FLV,
/// HTTP-TS, an HLS playlist and the segments a player resolves from it.
/// </summary>
public sealed partial class AuthSchemeTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(45);

    /// <summary>"__token__=st=..~exp=..~acl={acl}~hmac=..", valid for ten minutes.</summary>
    private static string Element(string acl) => Tokens.Hmac(acl, HexKey, Tokens.Now - 60, Tokens.Now + 600);

    [Fact]
    public async Task Rtmp_play_with_the_token_element_before_the_stream_name_as_ffmpeg_splits_it()
    {
        // ffmpeg sends the app "h/__token__=st=..~exp=..~acl=" and the stream name "h/hcam*~hmac=../hcam".
        var probe = await Ffmpeg.ProbeAsync(_fx.Daemon.RtmpUrl($"h/{Element("/h/hcam*")}/hcam"), seconds: 2, ProbeTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.NotEmpty(probe.PacketsOf(probe.Video));
    }

    [Fact]
    public async Task Http_flv_with_the_token_element_first()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(_fx.Daemon.HttpPort, $"/{Element("/h/hcam*")}/h/hcam.flv", cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 5, TimeSpan.FromSeconds(15), "5 video frames");
    }

    [Fact]
    public async Task Http_ts_with_the_token_element_after_the_app()
    {
        var probe = await Ffmpeg.ProbeAsync(_fx.Daemon.HttpUrl($"h/{Element("/h/hcam*")}/hcam.ts"), seconds: 2, ProbeTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.NotEmpty(probe.PacketsOf(probe.Video));
    }

    [Fact]
    public async Task Hls_playlist_under_the_token_element_plays_and_its_segments_play_under_it()
    {
        var prefix = $"/{Element("/h/hcam*")}/h/";

        // ffprobe follows the playlist's relative segment URLs, which inherit the element.
        var probe = await Ffmpeg.ProbeAsync(_fx.Daemon.HttpUrl(prefix[1..] + "hcam.m3u8"), seconds: 4, ProbeTimeout);
        Assert.Equal("h264", probe.Video.CodecName);

        // A segment fetched under the element alone, without the playlist's session token, is checked by the token.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var playlist = await Hls.GetAsync(_fx.Daemon, prefix + "hcam.m3u8", cts.Token);
        Assert.Equal(200, playlist.Status);
        var uri = playlist.Text.Split('\n').First(line => line.StartsWith("hcam/", StringComparison.Ordinal));
        var bare = uri[..uri.IndexOf('?', StringComparison.Ordinal)];
        var segment = await Hls.GetAsync(_fx.Daemon, prefix + bare, cts.Token);
        var viaSession = await Hls.GetAsync(_fx.Daemon, prefix + uri.Trim(), cts.Token);
        Assert.Equal(200, segment.Status);
        Assert.Equal("video/mp2t", segment.Header("Content-Type"));
        Assert.Equal(viaSession.Body, segment.Body);
    }

    [Fact]
    public async Task An_acl_of_the_segments_does_not_cover_the_flv_stream()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() =>
            HttpFlvViewer.OpenAsync(_fx.Daemon.HttpPort, $"/{Element("/h/hcam/*")}/h/hcam.flv", cts.Token));

        Assert.Equal(403, refused.Status);
        await _fx.Daemon.WaitForLogAsync(l => l.Contains("AclMismatch", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_token_element_that_does_not_end_at_its_hmac_is_refused_with_the_expected_form_logged()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var element = Element("/h/hcam*");
        var truncated = element[..^1];

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() =>
            HttpFlvViewer.OpenAsync(_fx.Daemon.HttpPort, $"/{truncated}/h/hcam.flv", cts.Token));

        Assert.Equal(404, refused.Status);
        await _fx.Daemon.WaitForLogAsync(l => l.Contains("incomplete token element: expected /{name}=...~hmac={64 hex digits}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }
}
