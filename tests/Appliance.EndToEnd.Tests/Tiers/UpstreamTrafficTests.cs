using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// Traffic of the connections a node opens itself: a pull shows in /metrics under
/// listener="upstream", a push under listener="push", while the stream plays; each writes an
/// access line when it ends, whose bytes match what the node at the other end counted.
/// </summary>
public sealed partial class UpstreamTrafficTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_pull_grows_the_edges_upstream_counters_while_the_stream_plays_and_writes_an_access_line_when_it_ends()
    {
        await using var origin = await DaemonProcess.StartAsync(appJson: "\"publisherGraceMs\": 0", rootJson: Infrastructure.Tiers.Node("origin"));
        await using var edge = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)]), rootJson: Infrastructure.Tiers.Node("edge"));
        PrometheusText first, second;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using (var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam")))
        {
            await StreamApi.WaitForFramesAsync(origin, "cam", minFrames: 30, Wait);
            await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token));
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the edge");
            first = await ScrapeAsync(edge);
            await viewer.WaitUntilAsync(v => v.VideoFrames >= 75, Wait, "75 frames at the edge");
            second = await ScrapeAsync(edge);
        }

        // The publisher left: the origin ends the stream, and the edge's upstream session ends with it.
        var pull = Access(await edge.WaitForLogAsync(l => l.Contains("access proto=pull-rtmp", StringComparison.Ordinal), Wait));
        var served = Access(await origin.WaitForLogAsync(l => l.Contains("access proto=rtmp-play", StringComparison.Ordinal), Wait));
        var after = await ScrapeAsync(edge);

        var receivedFirst = first.Value("appliance_received_bytes_total", "listener=\"upstream\"") ?? 0;
        var receivedSecond = second.Value("appliance_received_bytes_total", "listener=\"upstream\"") ?? 0;
        Assert.True(receivedFirst > 20_000, $"{receivedFirst} bytes received from the parent after 25 frames");
        Assert.True(receivedSecond > receivedFirst + 20_000, $"the upstream counter went from {receivedFirst} to {receivedSecond} bytes over 50 frames");
        Assert.True(first.Value("appliance_sent_bytes_total", "listener=\"upstream\"") > RtmpHandshakeBytes, "nothing counted as sent to the parent");
        Assert.Equal($"127.0.0.1:{origin.RtmpPort}", pull.Client);
        Assert.Equal("default/live/cam", pull.Stream);
        Assert.True(pull.In >= receivedSecond, $"the access line says {pull.In} bytes, the counter said {receivedSecond} before the end");
        // What the edge received is what the origin sent it, and the other way round.
        Assert.Equal(served.Out, pull.In);
        Assert.Equal(served.In, pull.Out);
        Assert.True(after.Value("appliance_received_bytes_total", "listener=\"upstream\"") >= pull.In);
        Assert.True(pull.DurationSeconds >= 1, $"{pull.DurationSeconds} s");
    }

    [Fact]
    public async Task A_push_grows_the_origins_push_counters_while_the_stream_plays_and_writes_an_access_line_when_it_ends()
    {
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper"));
        await using var origin = await DaemonProcess.StartAsync(
            appJson: $"\"publisherGraceMs\": 0, \"push\": [ \"{Infrastructure.Tiers.Rtmp(upper)}\" ]", rootJson: Infrastructure.Tiers.Node("origin"));
        PrometheusText first, second;
        await using (var publisher = Ffmpeg.Publish(origin.RtmpUrl("live/cam")))
        {
            await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);
            first = await ScrapeAsync(origin);
            await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 150, Wait);
            second = await ScrapeAsync(origin);
        }

        var push = Access(await origin.WaitForLogAsync(l => l.Contains("access proto=push-rtmp", StringComparison.Ordinal), Wait));
        var published = Access(await upper.WaitForLogAsync(l => l.Contains("access proto=rtmp-publish", StringComparison.Ordinal), Wait));

        var sentFirst = first.Value("appliance_sent_bytes_total", "listener=\"push\"") ?? 0;
        var sentSecond = second.Value("appliance_sent_bytes_total", "listener=\"push\"") ?? 0;
        Assert.True(sentFirst > 20_000, $"{sentFirst} bytes sent to the push target when it had 30 frames");
        Assert.True(sentSecond > sentFirst + 20_000, $"the push counter went from {sentFirst} to {sentSecond} bytes over 120 frames");
        Assert.True(first.Value("appliance_received_bytes_total", "listener=\"push\"") >= RtmpHandshakeBytes, "nothing counted as received from the push target");
        Assert.Equal($"127.0.0.1:{upper.RtmpPort}", push.Client);
        Assert.Equal(("default/live/cam", "ok", "stream ended"), (push.Stream, push.Status, push.Reason));
        Assert.True(push.Out >= sentSecond);
        // What the origin pushed is what the upper node took in, and the other way round.
        Assert.Equal(published.In, push.Out);
        Assert.Equal(published.Out, push.In);
    }

    // S0, S1 and S2, or C0, C1 and C2: every RTMP session starts with at least this much each way.
    private const int RtmpHandshakeBytes = 3073;

    private sealed record AccessLine(string Protocol, string Client, string Stream, string Status, long In, long Out, double DurationSeconds, string Reason);

    private static AccessLine Access(string line)
    {
        var match = AccessFields().Match(line);
        Assert.True(match.Success, line);
        long Number(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new AccessLine(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value,
            Number(5), Number(6), double.Parse(match.Groups[7].Value, CultureInfo.InvariantCulture), match.Groups[8].Value);
    }

    private static async Task<PrometheusText> ScrapeAsync(DaemonProcess daemon) =>
        PrometheusText.Parse(await Http.GetStringAsync(daemon.AdminUrl("metrics")));

    [GeneratedRegex(@"access proto=(\S+) client=(\S+) stream=(\S+) status=(\S+) in=(\d+) out=(\d+) duration=([\d.]+)s reason=""([^""]*)""")]
    private static partial Regex AccessFields();
}
