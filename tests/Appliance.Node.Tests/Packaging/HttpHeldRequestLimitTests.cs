using System.Net;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>
/// limits.maxHeldRequestsPerIp: the CMAF requests one client address may have held at once
/// (blocking reloads, preload-hinted parts, LL-DASH chunked segments), refused past it with 503
/// and Retry-After, and released however a hold ends.
/// </summary>
public class HttpHeldRequestLimitTests
{
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.2");

    [Fact]
    public async Task Past_the_bound_an_address_gets_503_with_retry_after_while_another_address_is_still_held()
    {
        using var cam = new CmafServer(config => config.Limits.MaxHeldRequestsPerIp = 2);
        var held = cam.Server.Context.HeldRequests;
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var nextPart = $"_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}";
        var hint = $"/live/cam/video-{video.LastPartMsn}.{video.LastPart + 1}.m4s";

        var reload = cam.Client(First).RequestAsync("GET", $"/live/cam/video-ll.m3u8?{nextPart}", ct);
        var part = cam.Client(First).RequestAsync("GET", hint, ct);
        await Eventually.WaitAsync(() => held.CountOf(First) == 2 && cam.Packager.HeldRequests == 2, "two requests held from the first address");
        var refusedClient = cam.Client(First);
        var refused = await refusedClient.RequestAsync("GET", $"/live/cam/video-{video.OpenNumber + 1}.m4s", ct);
        var refusedAgain = await refusedClient.RequestAsync("GET", hint, ct);
        var other = cam.Client(Second).RequestAsync("GET", $"/live/cam/video-ll.m3u8?{nextPart}", ct);
        await Eventually.WaitAsync(() => held.CountOf(Second) == 1 && cam.Packager.HeldRequests == 3, "the second address's request to be held");

        Assert.Equal(503, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(503, refusedAgain.Status);
        Assert.Equal(2, held.CountOf(First));
        Assert.False(refusedClient.Run.IsCompleted);
        // One line for the refusals, however many: a flood from one address must not flood the log.
        var line = Assert.Single(cam.Server.Logs.Lines, l => l.Message.Contains("limits.maxHeldRequestsPerIp", StringComparison.Ordinal));
        Assert.Contains("192.0.2.1 holds its maximum of 2 requests", line.Message, StringComparison.Ordinal);

        cam.PublishUntil(cam.PublishedMs + 400);
        Assert.Equal([200, 200, 200], (await Task.WhenAll(reload, part, other)).Select(r => r.Status));
        await Eventually.WaitAsync(() => held.Total == 0, "every held request to be released");
        Assert.Equal((0, 0), (held.CountOf(First), held.CountOf(Second)));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_address_has_its_own_bound()
    {
        using var cam = new CmafServer(config =>
        {
            config.Limits.MaxHeldRequestsPerIp = 1;
            config.Domains[0].Apps[0].Auth.TrustedProxies = ["127.0.0.1/32"];
        });
        var held = cam.Server.Context.HeldRequests;
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var target = $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}";

        var first = cam.Client().RequestAsync("GET", target, ct, "X-Forwarded-For: 192.0.2.1\r\n");
        await Eventually.WaitAsync(() => held.CountOf(First) == 1, "the first player's request to be held");
        var second = cam.Client().RequestAsync("GET", target, ct, "X-Forwarded-For: 192.0.2.2\r\n");
        await Eventually.WaitAsync(() => held.CountOf(Second) == 1, "the second player's request to be held");
        var refused = await cam.Client().RequestAsync("GET", target, ct, "X-Forwarded-For: 192.0.2.1\r\n");

        Assert.Equal(503, refused.Status);
        Assert.Equal(0, held.CountOf(IPAddress.Loopback));
        cam.PublishUntil(cam.PublishedMs + 400);
        Assert.Equal([200, 200], (await Task.WhenAll(first, second)).Select(r => r.Status));
        await Eventually.WaitAsync(() => held.Total == 0, "every held request to be released");
    }

    [Theory]
    [InlineData("reload", false)]
    [InlineData("reload", true)]
    [InlineData("part reload", false)]
    [InlineData("part reload", true)]
    [InlineData("hinted part", false)]
    [InlineData("hinted part", true)]
    [InlineData("chunked segment", false)]
    [InlineData("chunked segment", true)]
    public async Task A_held_request_whose_client_closes_or_resets_is_released_from_its_addresses_count(string kind, bool reset)
    {
        using var cam = new CmafServer();
        var held = cam.Server.Context.HeldRequests;
        var client = cam.Client(First);
        var video = cam.Packager.Snapshot.Video!;
        var target = kind switch
        {
            "reload" => $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastComplete + 1}",
            "part reload" => $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}",
            "hinted part" => $"/live/cam/video-{video.LastPartMsn}.{video.LastPart + 1}.m4s",
            _ => $"/live/cam/video-{video.OpenNumber + 1}.m4s",
        };

        await client.Connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await Eventually.WaitAsync(() => held.CountOf(First) == 1 && cam.Packager.HeldRequests == 1, "the request to be held");
        if (reset)
        {
            client.Connection.Abort();
        }
        else
        {
            client.Connection.CloseInput();
        }

        await Eventually.WaitAsync(() => held.Total == 0 && cam.Packager.HeldRequests == 0, "the held request to be released");
        await client.Run.WaitAsync(Eventually.Timeout);
        Assert.Equal(0, held.CountOf(First));
    }

    [Fact]
    public async Task Held_requests_that_time_out_are_released_from_their_addresses_count()
    {
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Hls.TargetDurationMs = 1000, untilMs: 5_000);
        var held = cam.Server.Context.HeldRequests;
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;

        var reload = cam.Client(First).RequestAsync("GET", $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}", ct);
        var part = cam.Client(First).RequestAsync("GET", $"/live/cam/video-{video.LastPartMsn}.{video.LastPart + 1}.m4s", ct);
        await Eventually.WaitAsync(() => held.CountOf(First) == 2, "both requests to be held");

        Assert.Equal([503, 503], (await Task.WhenAll(reload, part)).Select(r => r.Status));
        await Eventually.WaitAsync(() => held.Total == 0, "the timed-out requests to be released");
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Fact]
    public async Task A_request_the_stream_refuses_takes_no_place_in_its_addresses_count()
    {
        using var cam = new CmafServer(config => config.Domains[0].Apps[0].Cmaf.MaxHeldRequests = 1);
        var held = cam.Server.Context.HeldRequests;
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        var target = $"/live/cam/video-ll.m3u8?_HLS_msn={video.LastPartMsn}&_HLS_part={video.LastPart + 1}";

        var first = cam.Client(First).RequestAsync("GET", target, ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the first request to be held");
        var refused = await cam.Client(First).RequestAsync("GET", target, ct);

        Assert.Equal(503, refused.Status);
        Assert.Equal(1, held.CountOf(First));
        cam.PublishUntil(cam.PublishedMs + 400);
        Assert.Equal(200, (await first).Status);
        await Eventually.WaitAsync(() => held.Total == 0, "the held request to be released");
    }
}
