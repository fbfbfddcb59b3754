using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>An upper node with pull mode "always" keeps its listed streams pulled from the origin, without viewers, and reconnects.</summary>
public sealed class AlwaysPullTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Listed_streams_are_pulled_without_viewers_and_pulled_again_after_the_origin_stream_returns()
    {
        await using var origin = await DaemonProcess.StartAsync();
        await using var upper = await DaemonProcess.StartAsync(appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(origin)],
            pull: "\"mode\": \"always\", \"streams\": [ \"cam\" ], \"retryMs\": 200, \"maxRetryMs\": 1000, \"stallMs\": 1000"));

        long pulled;
        await using (var first = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: Ffmpeg.AnHourIn))
        {
            pulled = await WaitForPulledAsync(upper, 50_000);
            Assert.Equal(1, await Infrastructure.Tiers.SessionsAsync(origin, "rtmp-play"));
        }
        // The origin's stream is gone: the pull stalls and keeps retrying on its own.
        await upper.WaitForLogAsync(l => l.Contains("pull default/live/cam: attempt on", StringComparison.Ordinal), Wait);

        await using var second = Ffmpeg.Publish(origin.RtmpUrl("live/cam"), startSeconds: 2 * Ffmpeg.AnHourIn);
        await WaitForPulledAsync(upper, pulled + 200_000);
    }

    private static async Task<long> WaitForPulledAsync(DaemonProcess upper, long bytes)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var streams = (await Appliancectl.JsonAsync(upper, "streams")).GetProperty("streams");
            if (streams.GetArrayLength() == 1 && streams[0].GetProperty("sourceKind").GetString() == "pull" && streams[0].GetProperty("bytesIn").GetInt64() > bytes)
            {
                return streams[0].GetProperty("bytesIn").GetInt64();
            }
            Assert.True(DateTime.UtcNow < deadline, "the upper node did not pull the listed stream on its own");
            await Task.Delay(200);
        }
    }
}
