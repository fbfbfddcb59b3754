using System.Text.RegularExpressions;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>
/// LL-HLS through the in-memory HTTP session: blocking reloads held until their part or segment
/// exists, the 400s of RFC 8216bis, delta updates, the bounds (held requests, time, a client that
/// leaves), and preload-hinted parts.
/// </summary>
public class HttpLowLatencyHlsTests
{
    [Fact]
    public async Task A_blocking_reload_for_the_next_part_is_held_until_the_part_exists()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var next = video.LastPart + 1;

        var pending = client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={next}", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(cam.PublishedMs + 400);
        var response = await pending;

        Assert.Equal(200, response.Status);
        Assert.Equal("max-age=1", response.Header("Cache-Control"));
        Assert.Contains($"URI=\"video-{video.LastPartMsn}.{next}.m4s\"", response.BodyText, StringComparison.Ordinal);
        Assert.Equal(0, cam.Packager.HeldRequests);
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task A_blocking_reload_for_the_next_segment_is_held_until_the_segment_is_complete()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        Assert.Equal(3, cam.Packager.Snapshot.Video!.LastComplete);

        var pending = client.RequestAsync("GET", "/live/cam/video-ll.m3u8?_HLS_msn=4", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        cam.PublishUntil(9_800);
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(10_100);
        var response = await pending;

        Assert.Equal(200, response.Status);
        Assert.Contains("video-4.m4s", CmafServer.Uris(response.BodyText));
    }

    [Fact]
    public async Task A_blocking_reload_for_what_exists_is_answered_at_once()
    {
        using var cam = new CmafServer();
        var client = cam.Client();

        var response = await client.RequestAsync("GET", "/live/cam/audio-ll.m3u8?_HLS_msn=2&_HLS_part=1", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        Assert.Contains("#EXT-X-RENDITION-REPORT:URI=\"video-ll.m3u8\"", response.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_HLS_part=1")]
    [InlineData("_HLS_msn=-1")]
    [InlineData("_HLS_msn=%2B4")]
    [InlineData("_HLS_msn=abc")]
    [InlineData("_HLS_msn=")]
    [InlineData("_HLS_msn=4.0")]
    [InlineData("_HLS_msn=99999999999999999")]
    [InlineData("_HLS_msn=9007199254740993")]
    [InlineData("_HLS_msn=4&_HLS_part=-1")]
    [InlineData("_HLS_msn=4&_HLS_part=x")]
    [InlineData("_HLS_msn=4&_HLS_part=100000")]
    [InlineData("_HLS_skip=NO")]
    [InlineData("_HLS_skip=yes")]
    public async Task A_malformed_blocking_query_is_400_with_one_log_line_and_the_connection_stays_usable(string query)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var refused = await client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?{query}", ct);
        var next = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct);

        Assert.Equal(400, refused.Status);
        Assert.StartsWith("bad request: _HLS_", refused.BodyText, StringComparison.Ordinal);
        Assert.Single(cam.Server.Logs.Lines, l => l.Message.Contains("LL-HLS request refused", StringComparison.Ordinal));
        Assert.Equal(200, next.Status);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Fact]
    public async Task A_refused_blocking_request_counts_to_no_hls_session()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        const string agent = "User-Agent: player/1\r\n";

        var served = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct, agent);
        var refused = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8?_HLS_part=1", ct, agent);

        Assert.Equal(400, refused.Status);
        var session = Assert.Single(cam.Server.Context.HlsSessions.Sessions);
        Assert.Equal(served.Head.Length + 4L + served.Body.Length, session.BytesOut);
    }

    [Theory]
    [InlineData(3, -1)]
    [InlineData(1, 14)]
    [InlineData(0, 13)]
    public async Task A_blocking_reload_too_far_ahead_is_400_at_once(int msnAhead, int partAhead)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var video = cam.Packager.Snapshot.Video!;
        Assert.Equal(13, video.AdvancePartLimit);
        // Segments: more than two past the newest complete one; parts: more than the Advance Part
        // Limit (three seconds of 220 ms parts: 13) past the newest part.
        var msn = msnAhead == 3 ? video.LastComplete + 3 : video.LastPartMsn + msnAhead;
        var part = partAhead < 0 ? "" : $"&_HLS_part={(msnAhead == 0 ? video.LastPart + 1 + partAhead : partAhead - 1)}";

        var response = await client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={msn}{part}", Eventually.Deadline());

        Assert.Equal(400, response.Status);
        Assert.Contains("too far ahead", response.BodyText, StringComparison.Ordinal);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    /// <summary>
    /// hls.js reads a playlist late on a busy machine (its age past one part target) and asks for
    /// the part it reckons is live by then: four or more past the next one at 0.8 s late, or in
    /// the next segment. RFC 8216bis 6.2.5.2 allows three seconds of parts ahead; refused with 400
    /// at three parts, that player's audio stopped loading for seconds and kept a hole.
    /// </summary>
    [Theory]
    [InlineData(0, 5, 9_880)]
    [InlineData(1, 4, 11_080)]
    public async Task A_blocking_reload_several_parts_ahead_as_hls_js_asks_after_a_late_playlist_is_held_until_that_part_exists(
        int msnAhead, int part, int partMadeBy)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        // 200 ms parts (25 fps, 220 ms target): segment 4 runs from 8.0 s; published to 9.0 s, its
        // parts 4.0 to 4.3 exist. A part is made when the frame 240 ms after its start comes.
        Assert.Equal((4L, 3), (video.LastPartMsn, video.LastPart));
        var msn = video.LastPartMsn + msnAhead;
        var asked = msnAhead == 0 ? video.LastPart + part : part;

        var pending = client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={msn}&_HLS_part={asked}", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1 || pending.IsCompleted, "the request to be held");
        Assert.False(pending.IsCompleted, pending.IsCompleted ? (await pending).BodyText : null);
        cam.PublishUntil(partMadeBy - 80);
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(partMadeBy);
        var response = await pending;

        Assert.True(response.Status == 200, $"{response.Status}: {cam.Server.Logs.Dump()}");
        Assert.Contains($"URI=\"video-{msn}.{asked}.m4s\"", response.BodyText, StringComparison.Ordinal);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Theory]
    [InlineData("YES", "")]
    [InlineData("v2", ",RECENTLY-REMOVED-DATERANGES=\"\"")]
    public async Task Hls_skip_answers_a_delta_update(string skip, string v2)
    {
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Hls.WindowSegments = 10, untilMs: 23_000);
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var whole = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct);
        var delta = await client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_skip={skip}", ct);

        Assert.Equal(200, delta.Status);
        var skipped = Regex.Match(delta.BodyText, "#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)(.*)\n");
        Assert.True(skipped.Success, delta.BodyText);
        Assert.Equal(v2, skipped.Groups[2].Value);
        var segments = CmafServer.Uris(whole.BodyText).Count(u => Regex.IsMatch(u, @"^video-\d+\.m4s$"));
        Assert.Equal(segments - int.Parse(skipped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            CmafServer.Uris(delta.BodyText).Count(u => Regex.IsMatch(u, @"^video-\d+\.m4s$")));
        Assert.DoesNotContain("#EXT-X-SKIP", whole.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_streams_held_request_limit_a_blocking_reload_is_503_with_retry_after()
    {
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Cmaf.MaxHeldRequests = 1);
        var first = cam.Client();
        var second = cam.Client();
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var target = $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}";

        var held = first.RequestAsync("GET", target, ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the first request to be held");
        var refused = await second.RequestAsync("GET", target, ct);
        cam.PublishUntil(cam.PublishedMs + 400);

        Assert.Equal(503, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(200, (await held).Status);
        Assert.False(second.Run.IsCompleted);
    }

    [Fact]
    public async Task A_blocking_reload_nothing_answers_within_three_target_durations_is_503()
    {
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Hls.TargetDurationMs = 1000, untilMs: 5_000);
        var client = cam.Client();
        var video = cam.Packager.Snapshot.Video!;
        var started = Environment.TickCount64;

        var response = await client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}", Eventually.Deadline());

        Assert.Equal(503, response.Status);
        Assert.Equal("1", response.Header("Retry-After"));
        Assert.InRange(Environment.TickCount64 - started, 2_900, 10_000);
        Assert.Equal(0, cam.Packager.HeldRequests);
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task The_hold_bound_is_three_of_the_playlists_target_durations_when_the_gop_makes_segments_longer_than_configured()
    {
        // 1 s configured, a keyframe every 2 s: the segments are 2 s, and so is EXT-X-TARGETDURATION.
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Hls.TargetDurationMs = 1000, untilMs: 9_000, keyIntervalMs: 2000);
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var playlist = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct);
        Assert.Contains("#EXT-X-TARGETDURATION:2\n", playlist.BodyText, StringComparison.Ordinal);
        var video = cam.Packager.Snapshot.Video!;
        var started = Environment.TickCount64;

        var response = await client.RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}", ct);

        Assert.Equal(503, response.Status);
        Assert.InRange(Environment.TickCount64 - started, 5_900, 15_000);
        Assert.Contains(cam.Server.Logs.Lines, l => l.Message.Contains("had nothing new within 6000 ms", StringComparison.Ordinal));
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Fact]
    public async Task A_held_request_whose_client_leaves_is_released_at_once()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var video = cam.Packager.Snapshot.Video!;

        await client.Connection.SendAsync($"GET /live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn + 1} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        client.Connection.CloseInput();

        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 0, "the held request to be released");
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.Empty(await client.Reader.ReadToEndAsync(Eventually.Deadline()));
    }

    [Fact]
    public async Task A_held_request_whose_connection_is_reset_is_released_and_the_session_ends_as_a_lost_connection()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var video = cam.Packager.Snapshot.Video!;

        await client.Connection.SendAsync($"GET /live/cam/video-{video.OpenNumber + 1}.m4s HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        client.Connection.Abort();

        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 0, "the held request to be released");
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.DoesNotContain(cam.Server.Logs.Lines, l => l.Exception is not null);
        Assert.False(cam.Server.Logs.Contains("internal error"), cam.Server.Logs.Dump());
    }

    [Fact]
    public async Task A_preload_hinted_part_is_held_and_sent_when_it_completes()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var playlist = await client.RequestAsync("GET", "/live/cam/video-ll.m3u8", ct);
        var hint = Regex.Match(playlist.BodyText, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]+)\"").Groups[1].Value;

        var pending = client.RequestAsync("GET", "/live/cam/" + hint, ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the part request to be held");
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(cam.PublishedMs + 400);
        var part = await pending;
        var again = await client.RequestAsync("GET", "/live/cam/" + hint, ct);

        Assert.Equal(200, part.Status);
        Assert.Equal("video/mp4", part.Header("Content-Type"));
        Assert.Contains("immutable", part.Header("Cache-Control"));
        Assert.NotEmpty(part.Body);
        Assert.Equal(again.Body, part.Body);
    }

    [Fact]
    public async Task A_held_part_its_segment_ends_without_is_404()
    {
        using var cam = new CmafServer(untilMs: 9_800);
        var client = cam.Client();
        var video = cam.Packager.Snapshot.Video!;
        Assert.Equal(4, video.LastPartMsn);
        // 200 ms parts: a 2 s segment has ten, 4.0 to 4.9.
        var pending = client.RequestAsync("GET", "/live/cam/video-4.10.m4s", Eventually.Deadline());
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the part request to be held");

        // The keyframe at 10.0 s completes segment 4: the answer comes with it, not with segment 5's first part.
        cam.PublishUntil(10_040);

        Assert.Equal(404, (await pending).Status);
        Assert.Equal((4L, 4L), (cam.Packager.Snapshot.Video!.LastComplete, cam.Packager.Snapshot.Video.LastPartMsn));
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Fact]
    public async Task A_blocking_reload_for_a_part_past_its_segments_end_is_answered_with_the_next_segments_first_part()
    {
        using var cam = new CmafServer(untilMs: 9_800);
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        Assert.Equal(4, video.LastPartMsn);

        // Segment 4 has parts 4.0 to 4.9: RFC 8216bis 6.2.5.2 makes part 10 a request for part 5.0.
        var pending = client.RequestAsync("GET", "/live/cam/video-ll.m3u8?_HLS_msn=4&_HLS_part=10", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        cam.PublishUntil(10_040);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1 && cam.Packager.Snapshot.Video!.LastComplete == 4,
            "the request to be held again, for part 5.0");
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(10_400);
        var response = await pending;

        Assert.Equal(200, response.Status);
        Assert.Contains("URI=\"video-5.0.m4s\"", response.BodyText, StringComparison.Ordinal);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }
}
