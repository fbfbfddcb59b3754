using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>The CMAF routes through the in-memory HTTP session: playlists, inits, segments, parts, the MPDs and /api/time.</summary>
public partial class HttpCmafTests
{
    [Fact]
    public async Task The_multivariant_playlist_ties_the_video_playlist_to_the_audio_rendition_with_codecs()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var plain = await client.RequestAsync("GET", "/live/cam/cmaf.m3u8", ct);
        var low = await client.RequestAsync("GET", "/live/cam/llhls.m3u8", ct);

        Assert.Equal(200, plain.Status);
        Assert.Equal("application/vnd.apple.mpegurl", plain.Header("Content-Type"));
        Assert.Equal("max-age=1", plain.Header("Cache-Control"));
        Assert.Equal("*", plain.Header("Access-Control-Allow-Origin"));
        Assert.Matches("#EXT-X-STREAM-INF:.*CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"", plain.BodyText);
        Assert.Matches("RESOLUTION=\\d+x\\d+", plain.BodyText);
        Assert.Equal(["audio.m3u8", "video.m3u8"], CmafServer.Uris(plain.BodyText));
        Assert.Equal(200, low.Status);
        Assert.Equal(["audio-ll.m3u8", "video-ll.m3u8"], CmafServer.Uris(low.BodyText));
    }

    [Theory]
    [InlineData("video", "video/mp4")]
    [InlineData("audio", "audio/mp4")]
    public async Task A_media_playlist_lists_an_init_and_segments_that_are_served_immutable_from_the_cache(string track, string contentType)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var playlist = await client.RequestAsync("GET", $"/live/cam/{track}.m3u8", ct);
        var uris = CmafServer.Uris(playlist.BodyText);
        var init = await client.RequestAsync("GET", "/live/cam/" + uris[0], ct);
        var segment = await client.RequestAsync("GET", "/live/cam/" + uris[^1], ct);

        Assert.Equal(200, playlist.Status);
        Assert.Equal("max-age=1", playlist.Header("Cache-Control"));
        Assert.Matches($"^{track}-init-[0-9a-f]{{8}}\\.mp4$", uris[0]);
        Assert.Equal(["0", "1", "2", "3"], uris.Skip(1).Select(u => Regex.Match(u, $"^{track}-(\\d+)\\.m4s$").Groups[1].Value));
        Assert.Equal(200, init.Status);
        Assert.Equal(contentType, init.Header("Content-Type"));
        Assert.Equal("public, max-age=86400, immutable", init.Header("Cache-Control"));
        Assert.Equal("ftyp", BoxType(init.Body));
        Assert.Equal(200, segment.Status);
        Assert.Equal(contentType, segment.Header("Content-Type"));
        Assert.Equal("public, max-age=86400, immutable", segment.Header("Cache-Control"));
        Assert.Equal("bytes", segment.Header("Accept-Ranges"));
        Assert.Equal(segment.Body.Length.ToString(CultureInfo.InvariantCulture), segment.Header("Content-Length"));
        Assert.Contains(BoxType(segment.Body), new[] { "styp", "moof" });
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task The_low_latency_playlist_lists_parts_of_the_segment_in_progress_and_they_are_served()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var playlist = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct);
        var parts = CmafServer.Uris(playlist.BodyText).Where(u => Regex.IsMatch(u, @"^video-4\.\d+\.m4s$")).ToList();
        var first = await client.RequestAsync("GET", "/live/cam/" + parts[0], ct);
        var completed = await client.RequestAsync("GET", "/live/cam/video-3.0.m4s", ct);

        Assert.Equal(200, playlist.Status);
        Assert.Equal("max-age=1", playlist.Header("Cache-Control"));
        Assert.Contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"video-4.", playlist.BodyText, StringComparison.Ordinal);
        // Parts 4.0 to 4.(k-1) are listed, and the hint names the next one, 4.k.
        Assert.Equal($"video-4.{parts.Count - 1}.m4s", parts[^1]);
        Assert.Equal(200, first.Status);
        Assert.Equal("video/mp4", first.Header("Content-Type"));
        Assert.Contains("immutable", first.Header("Cache-Control"));
        Assert.Contains(BoxType(first.Body), new[] { "styp", "moof" });
        Assert.Equal(200, completed.Status);
    }

    [Fact]
    public async Task The_mpd_names_the_nodes_clock_and_its_segment_templates_and_ll_1_is_the_low_latency_one()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var plain = await client.RequestAsync("GET", "/live/cam.mpd", ct);
        var low = await client.RequestAsync("GET", "/live/cam.mpd?ll=1", ct);
        var off = await client.RequestAsync("GET", "/live/cam.mpd?ll=0", ct);

        Assert.Equal(200, plain.Status);
        Assert.Equal("application/dash+xml", plain.Header("Content-Type"));
        Assert.Equal("max-age=1", plain.Header("Cache-Control"));
        Assert.Contains("<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"/api/time\"/>", plain.BodyText, StringComparison.Ordinal);
        Assert.Contains("media=\"cam/video-$Number$.m4s\"", plain.BodyText, StringComparison.Ordinal);
        Assert.Contains("media=\"cam/audio-$Number$.m4s\"", plain.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("availabilityTimeComplete", plain.BodyText, StringComparison.Ordinal);
        Assert.Equal(200, low.Status);
        Assert.Equal("no-cache", low.Header("Cache-Control"));
        Assert.Contains("availabilityTimeComplete=\"false\"", low.BodyText, StringComparison.Ordinal);
        Assert.Contains("<ServiceDescription", low.BodyText, StringComparison.Ordinal);
        Assert.Equal(plain.BodyText.Length, off.BodyText.Length);
    }

    [Fact]
    public async Task Api_time_is_the_utc_clock_in_iso_8601_with_milliseconds_never_cached_and_open_to_other_origins()
    {
        using var server = new TestServer();
        var client = new HttpClientSide(server);
        var admin = new HttpClientSide(server, admin: true);
        var ct = Eventually.Deadline();

        var before = DateTimeOffset.UtcNow;
        var response = await client.RequestAsync("GET", "/api/time", ct);
        var head = await client.RequestAsync("HEAD", "/api/time", ct);
        var after = DateTimeOffset.UtcNow;
        var onAdmin = await admin.RequestAsync("GET", "/api/time", ct);

        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.Contains("no-store", response.Header("Cache-Control"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", response.BodyText);
        var time = DateTimeOffset.Parse(response.BodyText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(time, before.AddMilliseconds(-1), after.AddMilliseconds(1));
        Assert.Equal(200, head.Status);
        Assert.Equal("24", head.Header("Content-Length"));
        Assert.Equal(200, onAdmin.Status);
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task The_first_playlist_request_starts_packaging_and_waits_until_it_lists_the_minimum_segments()
    {
        using var server = new TestServer();
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_000);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var pending = client.RequestAsync("GET", "/live/cam/video.m3u8", ct);
        await Eventually.WaitAsync(() => stream.Cmaf is not null, "CMAF packaging to start");
        Assert.False(pending.IsCompleted);
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_000, 7_040);
        var playlist = await pending;

        Assert.Equal(200, playlist.Status);
        Assert.Equal(3, CmafServer.Uris(playlist.BodyText).Count(u => u.EndsWith(".m4s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cmaf_requests_count_to_the_players_hls_session_with_every_byte_sent()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        const string agent = "User-Agent: player/1\r\n";

        var responses = new[]
        {
            await client.RequestAsync("GET", "/live/cam/cmaf.m3u8", ct, agent),
            await client.RequestAsync("GET", "/live/cam/video.m3u8", ct, agent),
            await client.RequestAsync("GET", "/live/cam/video-3.m4s", ct, agent),
            await client.RequestAsync("GET", "/live/cam/video-3.m4s", ct, agent + "Range: bytes=0-99\r\n"),
            await client.RequestAsync("GET", "/live/cam.mpd", ct, agent),
        };

        Assert.Equal([200, 200, 200, 206, 200], responses.Select(r => r.Status));
        var session = Assert.Single(cam.Server.Context.HlsSessions.Sessions);
        Assert.Equal(responses.Sum(r => r.Head.Length + 4L + r.Body.Length), session.BytesOut);
        Assert.Equal(1, cam.Stream.CountViewers().Hls);
    }

    /// <summary>The four-character type of the first box.</summary>
    internal static string BoxType(byte[] bytes) => System.Text.Encoding.ASCII.GetString(bytes, 4, 4);
}
