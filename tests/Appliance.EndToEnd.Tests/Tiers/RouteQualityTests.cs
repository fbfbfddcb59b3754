using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// Route quality: an edge whose two parents (both pulling from one origin) are reached through
/// impairment relays, one path clean, the other with 150 ms delay each way, jitter, a rate cap
/// below the stream's bitrate and short stalls. The edge pulls over the clean path; when the
/// impairments are swapped it moves to the other parent, once, while its viewer plays on.
/// </summary>
public sealed class RouteQualityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    // Ffmpeg.Publish's stream runs at about 1.9 Mbit/s (240 KB/s); a bad path carries half of it.
    // Its stalls are shorter than the edge's stallMs (2 s): the path is slow, never dead.
    private static readonly Impairment Slow = new()
    {
        DelayMs = 150,
        JitterMs = 30,
        RateBytesPerSecond = 120_000,
        StallEveryMs = 2_500,
        StallForMs = 1_200,
    };

    // Near, but too narrow for the stream. Each relayed connection has a bucket of its own, so the
    // probes cross it unhindered: only what the pull itself measures can tell this path is bad.
    private static readonly Impairment Narrow = new() { RateBytesPerSecond = 120_000 };

    [Theory]
    [InlineData("http-flv", "http-flv", "slow")]
    [InlineData("rtmp", "rtmp-play", "slow")]
    [InlineData("http-flv", "http-flv", "narrow")]
    public async Task The_edge_pulls_over_the_clean_path_and_moves_once_when_the_impairments_are_swapped(string protocol, string sessionProtocol, string badPath)
    {
        var bad = badPath == "slow" ? Slow : Narrow;
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"));
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await using var upperA = await ImpairedParent.StartAsync(origin, "upper-a");
        await using var upperB = await ImpairedParent.StartAsync(origin, "upper-b");
        upperB.Set(bad);
        // The impaired parent is listed first: the order in the config must not be what decides.
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.UpstreamsApp([upperB.UpstreamJson(protocol), upperA.UpstreamJson(protocol)]),
            rootJson: Infrastructure.Tiers.Node("edge"));
        var a = new RouteMove.Parent("upper A", upperA.Node, upperA.Owns);
        var b = new RouteMove.Parent("upper B", upperB.Node, upperB.Owns);
        await StreamApi.WaitForFramesAsync(upperA.Node, "cam", minFrames: 30, Wait);
        await StreamApi.WaitForFramesAsync(upperB.Node, "cam", minFrames: 30, Wait);

        // The probes have crossed both paths before any viewer asks; a delay shows in B's health RTT.
        await EdgeRoutes.WaitAsync(
            edge,
            routes => routes.Count == 2 && routes.All(r => r.RttMs is not null) &&
                (bad.DelayMs == 0 || routes.Single(r => b.Owns(r.Url)).RttMs - routes.Single(r => a.Owns(r.Url)).RttMs >= 2 * (bad.DelayMs - bad.JitterMs)),
            Wait,
            bad.DelayMs == 0 ? "both paths probed" : "B probed as further away than A by the delay, both ways");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames at the edge");
        await RouteMove.AssertFedByAsync(edge, a, b, sessionProtocol);

        var moved = await RouteMove.AssertSwapMovesOnceAsync(
            edge,
            viewer,
            from: a,
            to: b,
            swap: () =>
            {
                upperA.Set(bad);
                upperB.Set(Impairment.None);
                return Task.CompletedTask;
            },
            sessionProtocol,
            bound: TimeSpan.FromSeconds(15),
            stay: TimeSpan.FromSeconds(8),
            probesBlind: badPath == "narrow");
        output.WriteLine($"moved {moved.TotalSeconds:F1} s after the swap");
    }
}
