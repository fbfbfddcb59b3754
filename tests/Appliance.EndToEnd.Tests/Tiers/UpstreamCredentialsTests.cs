using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>A parent that requires tokens is pulled from with the node's own credentials, never the viewer's.</summary>
public sealed class UpstreamCredentialsTests
{
    private const string HexKey = "00112233445566778899aabbccddeeff";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_edge_with_credentials_in_its_upstream_urls_plays_from_a_parent_that_requires_a_token_and_one_without_is_refused()
    {
        await using var origin = await DaemonProcess.StartAsync(
            appJson: $$"""
            "auth": { "play": { "scheme": "hmac", "key": "{{HexKey}}" } }
            """,
            rootJson: Infrastructure.Tiers.Node("origin"));
        // One token for every stream of the app, as an operator would put in the edge's config.
        var token = Tokens.Hmac("/live/*", HexKey, Tokens.Now - 60, Tokens.Now + 3600);
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([$"{Infrastructure.Tiers.Rtmp(origin)}?{token}", $"http://127.0.0.1:{origin.HttpPort}/{{app}}/{{stream}}.flv?{token}"]),
            rootJson: Infrastructure.Tiers.Node("edge"));
        await using var bare = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], pull: "\"waitMs\": 2000"),
            rootJson: Infrastructure.Tiers.Node("bare"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);

        var probe = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam.flv"), seconds: 2, Wait);
        Assert.Equal("h264", probe.Video.CodecName);
        Assert.True(probe.PacketsOf(probe.Video).Count >= 25);

        using var cts = new CancellationTokenSource(Wait);
        var refused = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(bare.HttpPort, "/live/cam.flv", cts.Token));
        Assert.Equal(404, refused.Status);
        await bare.WaitForLogAsync(l => l.Contains("pull default/live/cam: attempt on", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal), Wait);
        // The token is the node's secret: shown masked, never in clear.
        var config = (await Appliancectl.RunAsync(edge, "config")).Stdout;
        var routes = (await Appliancectl.RunAsync(edge, "routes")).Stdout;
        var streams = (await Appliancectl.RunAsync(edge, "streams", "--json")).Stdout;
        foreach (var shown in new[] { config, routes, streams, string.Join("\n", edge.Lines) })
        {
            Assert.DoesNotContain("hmac=", shown, StringComparison.Ordinal);
        }
        Assert.Contains("__token__=*****", routes, StringComparison.Ordinal);
    }
}
