using System.Globalization;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// Two upper nodes and an edge sharing a redis-server: encoders publish to either upper node, the
/// edge finds the one that has the stream in the directory, and playback goes on without Redis.
/// </summary>
public sealed class DirectoryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [RedisFact]
    public async Task Streams_published_at_either_upper_node_play_at_the_edge_through_the_directory_and_go_on_when_redis_stops()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"e2e-{Guid.NewGuid():N}:";
        var (portA, portB) = (Infrastructure.Tiers.FreePort(), Infrastructure.Tiers.FreePort());
        await using var upperA = await DaemonProcess.StartAsync(
            rootJson: Infrastructure.Tiers.Node("upper-a") + Infrastructure.Tiers.Directory(redis, prefix, $"rtmp://127.0.0.1:{portA}"), rtmpListen: $"127.0.0.1:{portA}");
        await using var upperB = await DaemonProcess.StartAsync(
            rootJson: Infrastructure.Tiers.Node("upper-b") + Infrastructure.Tiers.Directory(redis, prefix, $"rtmp://127.0.0.1:{portB}/{{app}}"), rtmpListen: $"127.0.0.1:{portB}");
        // The edge lists upper A alone: a stream published at B can only be found through the directory.
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(upperA)], pull: "\"stallMs\": 1000"),
            rootJson: Infrastructure.Tiers.Node("edge") + Infrastructure.Tiers.Directory(redis, prefix));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));

        // A stream published at B: registered there, played at the edge over RTMP and HTTP-FLV straight from B.
        await using var publisherB = Ffmpeg.Publish(upperB.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upperB, "cam", minFrames: 30, Wait);
        await UntilAsync(async () => await redis.CliAsync("GET", $"{prefix}stream:default/live/cam") == $"upper-b rtmp://127.0.0.1:{portB}/live", "cam registered by upper-b");
        await using var rtmp = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await using var flv = new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token));
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames of cam over RTMP at the edge");
        await flv.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames of cam over HTTP-FLV at the edge");
        Assert.True(rtmp.FirstVideoFrameWasKey);
        Assert.True(flv.FirstVideoFrameWasKey);
        Assert.Equal($"pull rtmp://127.0.0.1:{portB}/live", await SourceAsync(edge, "cam"));
        await edge.WaitForLogAsync(l => l.Contains("directory: default/live/cam is at node upper-b", StringComparison.Ordinal), Wait);
        var viaDirectory = (await Appliancectl.JsonAsync(edge, "routes")).GetProperty("routes").EnumerateArray()
            .Single(r => r.GetProperty("url").GetString() == $"rtmp://127.0.0.1:{portB}/live");
        Assert.True(viaDirectory.GetProperty("directory").GetBoolean());
        Assert.Equal(["cam"], viaDirectory.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));

        // A stream published at A plays too, and its entry goes when its publisher does.
        await using (var publisherA = Ffmpeg.Publish(upperA.RtmpUrl("live/cam2"), startSeconds: Ffmpeg.AnHourIn))
        {
            await StreamApi.WaitForFramesAsync(upperA, "cam2", minFrames: 30, Wait);
            await UntilAsync(async () => await redis.CliAsync("GET", $"{prefix}stream:default/live/cam2") == $"upper-a rtmp://127.0.0.1:{portA}/live", "cam2 registered by upper-a");
            await using var cam2 = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam2", cts.Token));
            await cam2.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames of cam2 at the edge");
            Assert.Equal($"pull rtmp://127.0.0.1:{portA}/live", await SourceAsync(edge, "cam2"));
        }
        await UntilAsync(async () => await redis.CliAsync("EXISTS", $"{prefix}stream:default/live/cam2") == "0", "cam2's entry removed after its publisher left");
        Assert.Equal($"upper-b rtmp://127.0.0.1:{portB}/live", await redis.CliAsync("GET", $"{prefix}stream:default/live/cam"));

        Assert.Equal(1, await DirectoryUpAsync(edge));
        Assert.Equal(1, (await MetricsAsync(upperB)).Value("appliance_directory_registered_streams"));

        // Redis dies: the edge's viewers keep playing, with time going on.
        var (rtmpBefore, flvBefore, timestampBefore) = (rtmp.VideoFrames, flv.VideoFrames, rtmp.LastVideoTimestamp);
        await redis.StopAsync();
        await edge.WaitForLogAsync(l => l.Contains($"directory: redis {redis.Address} is unreachable", StringComparison.Ordinal), Wait);
        await rtmp.WaitUntilAsync(v => v.VideoFrames >= rtmpBefore + 125, Wait, "5 more seconds of cam over RTMP without Redis");
        await flv.WaitUntilAsync(v => v.VideoFrames >= flvBefore + 125, Wait, "5 more seconds of cam over HTTP-FLV without Redis");
        foreach (var viewer in new[] { rtmp, flv })
        {
            Assert.False(viewer.Ended, $"a viewer ended: {viewer.Error?.Message}");
            viewer.AssertContinuousTimeline();
            Assert.True(viewer.LongestGapMs < 2000, $"a viewer saw a gap of {viewer.LongestGapMs} ms");
        }
        Assert.True(rtmp.LastVideoTimestamp >= timestampBefore + 4000, $"timestamps went from {timestampBefore} to {rtmp.LastVideoTimestamp} ms");

        // Publishing at an upper node still works, and the edge reaches the new stream through its configured upstream meanwhile.
        await using var publisherA3 = Ffmpeg.Publish(upperA.RtmpUrl("live/cam3"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upperA, "cam3", minFrames: 30, Wait);
        await using var cam3 = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam3", cts.Token));
        await cam3.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames of cam3 at the edge while Redis is down");
        Assert.Equal($"pull rtmp://127.0.0.1:{portA}/live", await SourceAsync(edge, "cam3"));
        var status = (await Appliancectl.JsonAsync(edge, "status")).GetProperty("status");
        Assert.Equal("down", status.GetProperty("directory").GetString());
        Assert.Equal(0, await DirectoryUpAsync(edge));
        Assert.False(upperA.HasExited || upperB.HasExited || edge.HasExited);
    }

    [RedisFact]
    public async Task An_encoder_that_moves_to_the_other_upper_node_takes_over_its_pull_there_and_viewers_everywhere_keep_playing()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"e2e-{Guid.NewGuid():N}:";
        var (portA, portB) = (Infrastructure.Tiers.FreePort(), Infrastructure.Tiers.FreePort());
        await using var upperA = await DaemonProcess.StartAsync(appJson: "\"pull\": { \"stallMs\": 1000 }",
            rootJson: Infrastructure.Tiers.Node("upper-a") + Infrastructure.Tiers.Directory(redis, prefix, $"rtmp://127.0.0.1:{portA}"), rtmpListen: $"127.0.0.1:{portA}");
        await using var upperB = await DaemonProcess.StartAsync(
            rootJson: Infrastructure.Tiers.Node("upper-b") + Infrastructure.Tiers.Directory(redis, prefix, $"rtmp://127.0.0.1:{portB}"), rtmpListen: $"127.0.0.1:{portB}");
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([], pull: "\"stallMs\": 1000"),
            rootJson: Infrastructure.Tiers.Node("edge") + Infrastructure.Tiers.Directory(redis, prefix));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var atB = new Later { Process = Ffmpeg.Publish(upperB.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn) };
        await using var publisherA = new Later();
        await StreamApi.WaitForFramesAsync(upperB, "cam", minFrames: 30, Wait);
        await UntilAsync(async () => await redis.CliAsync("GET", $"{prefix}stream:default/live/cam") == $"upper-b rtmp://127.0.0.1:{portB}/live", "cam registered by upper-b");
        // Viewers at the edge (an app without upstreams) and at upper A: both pull from B through the directory.
        await using var atEdge = new ViewerRecorder(await RtmpViewer.PlayAsync(edge.RtmpPort, "live", "cam", cts.Token));
        await using var atA = new ViewerRecorder(await HttpFlvViewer.OpenAsync(upperA.HttpPort, "/live/cam.flv", cts.Token));
        await atEdge.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the edge");
        await atA.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at upper A");
        Assert.Equal($"pull rtmp://127.0.0.1:{portB}/live", await SourceAsync(upperA, "cam"));
        var (edgeBefore, aBefore) = (atEdge.VideoFrames, atA.VideoFrames);

        // The encoder moves from B to A.
        await atB.StopAsync();
        publisherA.Process = Ffmpeg.Publish(upperA.RtmpUrl("live/cam"), startSeconds: 2 * Ffmpeg.AnHourIn);

        await UntilAsync(async () => await redis.CliAsync("GET", $"{prefix}stream:default/live/cam") == $"upper-a rtmp://127.0.0.1:{portA}/live", "cam registered by upper-a");
        await atEdge.WaitUntilAsync(v => v.VideoFrames >= edgeBefore + 100, Wait, "100 more frames at the edge after the move");
        await atA.WaitUntilAsync(v => v.VideoFrames >= aBefore + 100, Wait, "100 more frames at upper A after the move");
        foreach (var viewer in new[] { atEdge, atA })
        {
            Assert.False(viewer.Ended, $"a viewer ended: {viewer.Error?.Message}");
            viewer.AssertContinuousTimeline();
        }
        Assert.Equal("publisher", (await Appliancectl.JsonAsync(upperA, "streams")).GetProperty("streams")[0].GetProperty("sourceKind").GetString());
        Assert.Equal($"pull rtmp://127.0.0.1:{portA}/live", await SourceAsync(edge, "cam"));
        await upperA.WaitForLogAsync(l => l.Contains("pull default/live/cam: stopped (another publisher took over the stream)", StringComparison.Ordinal), Wait);
    }

    [RedisFact]
    public async Task A_garbage_directory_entry_is_ignored_with_a_log_line_and_the_configured_upstream_serves_the_stream()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"e2e-{Guid.NewGuid():N}:";
        await using var upper = await DaemonProcess.StartAsync(rootJson: Infrastructure.Tiers.Node("upper"));
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(upper)]),
            rootJson: Infrastructure.Tiers.Node("edge") + Infrastructure.Tiers.Directory(redis, prefix));
        await redis.CliAsync("SET", $"{prefix}stream:default/live/cam", "upper-x file:///etc/passwd");
        await edge.WaitForLogAsync(l => l.Contains("directory: connected to redis", StringComparison.Ordinal), Wait);
        await using var publisher = Ffmpeg.Publish(upper.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(upper, "cam", minFrames: 30, Wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var viewer = new ViewerRecorder(await HttpFlvViewer.OpenAsync(edge.HttpPort, "/live/cam.flv", cts.Token));

        await viewer.WaitUntilAsync(v => v.VideoFrames >= 25, Wait, "25 frames at the edge");
        await edge.WaitForLogAsync(l => l.Contains("directory: ignoring the entry of default/live/cam: it has a URL that", StringComparison.Ordinal), Wait);
        Assert.Equal($"pull rtmp://127.0.0.1:{upper.RtmpPort}/live", await SourceAsync(edge, "cam"));
    }

    /// <summary>A process the test starts or stops midway; ended on dispose if still there.</summary>
    private sealed class Later : IAsyncDisposable
    {
        public ExternalProcess? Process { get; set; }

        public async Task StopAsync()
        {
            if (Process is { } process)
            {
                Process = null;
                await process.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync() => await StopAsync();
    }

    private static async Task<PrometheusText> MetricsAsync(DaemonProcess node) =>
        PrometheusText.Parse(await Http.GetStringAsync(node.AdminUrl("metrics")));

    private static async Task<double?> DirectoryUpAsync(DaemonProcess node) => (await MetricsAsync(node)).Value("appliance_directory_up");

    private static async Task<string?> SourceAsync(DaemonProcess node, string name)
    {
        var streams = (await Appliancectl.JsonAsync(node, "streams")).GetProperty("streams").EnumerateArray();
        return streams.Single(s => s.GetProperty("key").GetString()!.EndsWith("/" + name, StringComparison.Ordinal)).GetProperty("source").GetString();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {what}");
            await Task.Delay(100);
        }
    }
}
