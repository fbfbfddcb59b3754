using Appliance.Node.Webhooks;

namespace Appliance.Node.Tests.Webhooks;

/// <summary>Events and targets for the queue's tests.</summary>
internal static class Events
{
    private static long s_lastId;

    public static WebhookEvent Of(string name, string stream = "cam") => new()
    {
        Event = name,
        Id = Interlocked.Increment(ref s_lastId),
        Time = DateTime.UtcNow,
        Node = "edge-1",
        Domain = "default",
        App = "live",
        Stream = stream,
    };

    public static WebhookTargetSettings Settings(int queueSize = 100, int retries = 3, int retryMs = 100, int maxRetryMs = 1000, string? secret = null) =>
        new("http://127.0.0.1:9/hooks", secret, queueSize, retries, retryMs, maxRetryMs, TimeoutMs: 1000);

    /// <summary>A stream name whose events take another lane than <paramref name="stream"/>'s.</summary>
    public static string OnAnotherLane(string stream)
    {
        var lane = WebhookTarget.LaneOf(Of("play", stream));
        for (var i = 0; ; i++)
        {
            if (WebhookTarget.LaneOf(Of("play", $"other{i}")) != lane)
            {
                return $"other{i}";
            }
        }
    }
}
