using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// Route quality with the parents as separate hosts: each runs in a network namespace of its own,
/// joined to this one by a veth pair, and one of them sends through a tbf rate cap below the
/// stream's bitrate (a real queue that drops, where the relay of <see cref="RouteQualityTests"/>
/// only paces). The origin and the edge run here. The edge pulls from the uncapped parent, and
/// moves, once, when the caps are swapped.
/// </summary>
public sealed class NetnsRouteQualityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    // Ffmpeg.Publish's stream runs at about 1.9 Mbit/s.
    private const string Cap = "1mbit";

    [NetnsFact]
    public async Task The_edge_pulls_from_the_uncapped_parent_host_and_moves_once_when_the_caps_are_swapped()
    {
        var tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant();
        var subnet = await NetnsHost.FreeSubnetAsync();
        await using var hostA = await NetnsHost.CreateAsync(tag + "a", $"{subnet}.1", $"{subnet}.2");
        await using var hostB = await NetnsHost.CreateAsync(tag + "b", $"{subnet}.5", $"{subnet}.6");
        // On a root-namespace address of A's pair, which B reaches through its own pair and the root namespace.
        await using var origin = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("origin"), listenHost: hostA.RootAddress);
        await using var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await using var upperA = await StartParentAsync(hostA, origin, "upper-a");
        await using var upperB = await StartParentAsync(hostB, origin, "upper-b");
        await hostB.CapAsync(Cap);
        // The capped parent is listed first: the order in the config must not be what decides.
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Flv(upperB), Infrastructure.Tiers.Flv(upperA)]),
            rootJson: Infrastructure.Tiers.Node("edge"));
        var a = new RouteMove.Parent("upper A", upperA, url => url.Contains($"//{hostA.Address}:", StringComparison.Ordinal));
        var b = new RouteMove.Parent("upper B", upperB, url => url.Contains($"//{hostB.Address}:", StringComparison.Ordinal));
        await StreamApi.WaitForFramesAsync(upperA, "cam", minFrames: 30, Wait);
        await StreamApi.WaitForFramesAsync(upperB, "cam", minFrames: 30, Wait);
        await EdgeRoutes.WaitAsync(edge, routes => routes.Count == 2 && routes.All(r => r.RttMs is not null), Wait, "both parent hosts probed");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var viewer = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await viewer.WaitUntilAsync(v => v.VideoFrames >= 50, Wait, "50 frames at the edge");
        await RouteMove.AssertFedByAsync(edge, a, b, "http-flv");

        var moved = await RouteMove.AssertSwapMovesOnceAsync(
            edge,
            viewer,
            from: a,
            to: b,
            swap: async () =>
            {
                await hostA.CapAsync(Cap);
                await hostB.UncapAsync();
            },
            "http-flv",
            bound: TimeSpan.FromSeconds(15),
            stay: TimeSpan.FromSeconds(8),
            // A probe's few packets cross a tbf cap as fast as an open link: only the pull can tell.
            probesBlind: true);
        output.WriteLine($"moved {moved.TotalSeconds:F1} s after the swap");
    }

    /// <summary>A parent in <paramref name="host"/>, keeping live/cam pulled from the origin.</summary>
    private static Task<DaemonProcess> StartParentAsync(NetnsHost host, DaemonProcess origin, string nodeId) =>
        DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)], pull: "\"mode\": \"always\", \"streams\": [\"cam\"]"),
            rootJson: Infrastructure.Tiers.Node(nodeId),
            listenHost: host.Address,
            prefix: host.Exec);
}
