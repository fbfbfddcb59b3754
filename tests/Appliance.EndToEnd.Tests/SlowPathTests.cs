using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// A viewer whose path carries less than the stream must neither freeze nor drift behind: the node
/// skips it ahead to keyframes, so its delay stays bounded, and keeps it while it skips less often
/// than maxViewerSkipsPerMinute. The path is a relay capped at 70% of the stream's rate with a
/// short queue (a real bottleneck drops beyond its buffer); the delay of each frame is its arrival
/// at the capped viewer minus its arrival at a viewer on a free path.
/// </summary>
public sealed class SlowPathTests(ITestOutputHelper output)
{
    private const int LagMs = 3_000;
    private const int RelayQueueBytes = 32 * 1024;

    /// <summary>The default maxViewerUnsentBytes: what the node lets the kernel hold unsent for a viewer.</summary>
    private const int NodeUnsentBytes = 64 * 1024;

    /// <summary>The most one of a viewer's writes carries (the writer's batch bound).</summary>
    private const int WriteBytes = 256 * 1024;

    [Fact]
    public async Task A_viewer_on_a_path_at_70_percent_of_the_stream_skips_to_keyframes_with_bounded_delay_and_is_kept()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: $"\"maxViewerLagMs\": {LagMs}, \"maxViewerSkipsPerMinute\": 20");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/capped"), startSeconds: Ffmpeg.AnHourIn);
        await StreamApi.WaitForFramesAsync(daemon, "capped", minFrames: 25, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var free = new ViewerRecorder(await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/capped.flv", cts.Token), keepArrivals: true);

        // The stream's rate from 5 s of media past the join burst (the first GOP, re-stamped).
        await WaitAsync(() => free.VideoFrames >= 60 + 125 || free.Ended, TimeSpan.FromSeconds(30), "6 s of the stream on the free path");
        var sample = free.Arrivals;
        Assert.False(free.Ended, $"the free viewer ended: {free.Error?.Message}");
        var (from, to) = (sample[60], sample[^1]);
        var bytesPerSecond = (to.BytesBefore - from.BytesBefore) * 1000.0 / (to.Timestamp - from.Timestamp);
        var cap = (long)(bytesPerSecond * 0.7);

        await using var relay = new ImpairmentRelay(daemon.HttpPort, RelayQueueBytes)
        {
            TargetReceiveBufferBytes = RelayQueueBytes,
            FromTarget = new Impairment { RateBytesPerSecond = cap },
        };
        await using var capped = new ViewerRecorder(await HttpFlvViewer.OpenAsync(relay.Port, "/live/capped.flv", cts.Token), keepArrivals: true);
        await WaitAsync(() => capped.Ended || Span(capped) >= 45_000, TimeSpan.FromSeconds(90), "45 s of the capped viewer");

        Assert.False(capped.Ended, $"the capped viewer was closed: {capped.Error?.Message}");
        Assert.False(daemon.HasLog(l => l.Contains("viewer too slow", StringComparison.Ordinal)), "a viewer was closed as too slow");
        var frames = capped.Arrivals;
        var skips = 0;
        for (var i = 1; i < frames.Count; i++)
        {
            if (frames[i].Timestamp - frames[i - 1].Timestamp - (frames[i].AtMs - frames[i - 1].AtMs) > 1_000)
            {
                skips++;
            }
        }
        // Past the node's lag bound, a frame can wait for what is ahead of it on the way, drained at
        // the capped rate: the rest of the write it went in (a write holds at most 256 KiB, and
        // the lag is checked between writes), the socket's unsent bytes, the relay's queue and its
        // socket's buffer; plus a second for scheduling.
        var pathMs = (WriteBytes + NodeUnsentBytes + 2 * RelayQueueBytes) * 1000L / cap;
        var bound = LagMs + pathMs + 1_000;
        var arrivedFree = free.Arrivals.ToDictionary(f => f.Timestamp, f => f.AtMs);
        var settled = frames[0].AtMs + 5_000;
        var delays = frames.Where(f => f.AtMs >= settled && arrivedFree.ContainsKey(f.Timestamp))
            .Select(f => (f.AtMs, Delay: f.AtMs - arrivedFree[f.Timestamp])).ToList();
        var trace = $"{skips} skips; stream {bytesPerSecond:F0} B/s, path capped at {cap} B/s; delay (ms) every 5 s of play: " +
            string.Join(", ", delays.Where((_, i) => i % 125 == 0).Select(d => d.Delay)) + $"; at most {(delays.Count > 0 ? delays.Max(d => d.Delay) : 0)}";
        output.WriteLine(trace);

        // 70% of the rate falls 0.3 s behind each second: past 3 s every ~10 s, so 45 s holds several skips.
        Assert.True(skips >= 2, $"the capped viewer skipped ahead {skips} times in 45 s; a path at 70% must be skipped, not left to drift: {trace}");
        Assert.True(delays.Count >= 300, $"only {delays.Count} frames of the capped viewer were also seen on the free path");
        var worst = delays.MaxBy(d => d.Delay);
        Assert.True(worst.Delay <= bound,
            $"a frame reached the capped viewer {worst.Delay} ms after the free one, {worst.AtMs - frames[0].AtMs} ms into its play " +
            $"(bound {bound} ms: maxViewerLagMs {LagMs} + {pathMs} ms for a write, the unsent bytes and the relay's queue at {cap} B/s + 1 s): {trace}");
    }

    private static long Span(ViewerRecorder viewer)
    {
        var frames = viewer.Arrivals;
        return frames.Count < 2 ? 0 : frames[^1].AtMs - frames[0].AtMs;
    }

    private static Task WaitAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        Conditions.UntilAsync(() => Task.FromResult(condition()), deadline, what);
}
