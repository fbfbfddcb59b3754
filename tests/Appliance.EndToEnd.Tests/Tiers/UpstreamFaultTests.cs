using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>Bad upstreams end their attempt with a logged reason; the next candidate is tried; a loop is refused.</summary>
public sealed class UpstreamFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("garbage-rtmp")]
    [InlineData("garbage-http")]
    [InlineData("bad-flv-header")]
    [InlineData("silent")]
    [InlineData("http-404")]
    public async Task A_bad_first_candidate_is_logged_and_the_next_one_serves_the_viewer(string fault)
    {
        await using var bad = FakeUpstream.Start(fault);
        await using var origin = await DaemonProcess.StartAsync();
        var badUrl = fault is "garbage-rtmp" ? $"rtmp://127.0.0.1:{bad.Port}/live" : $"http://127.0.0.1:{bad.Port}/{{app}}/{{stream}}.flv";
        await using var onlyBad = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([badUrl], pull: "\"connectTimeoutMs\": 1000, \"stallMs\": 1000, \"waitMs\": 2500"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([badUrl, Infrastructure.Tiers.Rtmp(origin)], pull: "\"connectTimeoutMs\": 1000, \"stallMs\": 1000"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(onlyBad.HttpPort, "/live/cam.flv", cts.Token));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));

        Assert.Equal(404, refused.Status);
        var reason = await onlyBad.WaitForLogAsync(l => l.Contains($"attempt on {badUrl} failed: ", StringComparison.Ordinal), Wait);
        Assert.True(reason.Contains(fault switch
        {
            "garbage-rtmp" => "RTMP version",
            "garbage-http" => "malformed HTTP response head",
            "bad-flv-header" => "bad FLV from upstream",
            "silent" => "no media within 2000 ms",
            _ => "upstream answered HTTP 404",
        }, StringComparison.OrdinalIgnoreCase), reason);
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames through the good candidate");
        Assert.True(bad.Connections > 0, "the bad candidate was never tried");
    }

    [Fact]
    public async Task Two_nodes_that_pull_from_each_other_refuse_the_loop_and_answer_404()
    {
        await using var a = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("node-a"));
        await using var b = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("node-b"));
        // Each node's parent is the other: only known once both listen, so set by a reload.
        await File.WriteAllTextAsync(a.ConfigPath, DaemonProcess.ConfigText(a.ControlSocket,
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(b)], pull: "\"waitMs\": 3000"), rootJson: Infrastructure.Tiers.Node("node-a")));
        await File.WriteAllTextAsync(b.ConfigPath, DaemonProcess.ConfigText(b.ControlSocket,
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Flv(a)], pull: "\"waitMs\": 3000"), rootJson: Infrastructure.Tiers.Node("node-b")));
        Assert.Equal(0, (await Appliancectl.RunAsync(a, "reload")).ExitCode);
        Assert.Equal(0, (await Appliancectl.RunAsync(b, "reload")).ExitCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(a.HttpPort, "/live/cam.flv", cts.Token));

        Assert.Equal(404, refused.Status);
        await a.WaitForLogAsync(l => l.Contains("loop: the request already passed through this node (node-a -> node-b)", StringComparison.Ordinal), Wait);
        await b.WaitForLogAsync(l => l.Contains("pull default/live/cam: attempt on http://127.0.0.1:", StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task A_request_past_the_hop_limit_is_refused()
    {
        await using var origin = await DaemonProcess.StartAsync();
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], pull: "\"maxHops\": 2"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv?appliance_via=x,y", cts.Token));

        Assert.Equal(404, refused.Status);
        await edge.WaitForLogAsync(l => l.Contains("too many hops: 2 nodes already", StringComparison.Ordinal), Wait);
    }

}
