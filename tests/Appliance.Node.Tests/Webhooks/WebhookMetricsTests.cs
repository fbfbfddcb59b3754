using Appliance.Node.Hosting;
using Appliance.Node.Metrics;

namespace Appliance.Node.Tests.Webhooks;

public sealed class WebhookMetricsTests
{
    [Fact]
    public void Deliveries_failures_drops_retries_and_the_queue_are_exposed()
    {
        var status = new WebhookStatus(Delivered: 12, Failed: 2, Dropped: 5, Retries: 7, Queued: 3);

        var text = System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(NodeStatusWith(status), maxStreamLabels: 10));
        var metrics = PrometheusText.Parse(text);

        Assert.Equal(12, metrics.Value("appliance_webhook_delivered_total"));
        Assert.Equal(2, metrics.Value("appliance_webhook_failed_total"));
        Assert.Equal(5, metrics.Value("appliance_webhook_dropped_total"));
        Assert.Equal(7, metrics.Value("appliance_webhook_retries_total"));
        Assert.Equal(3, metrics.Value("appliance_webhook_queued"));
        Assert.Equal("gauge", metrics.Types["appliance_webhook_queued"]);
    }

    private static NodeStatus NodeStatusWith(WebhookStatus webhooks) => new()
    {
        Version = "1.0.0",
        NodeId = "edge-1",
        Role = "edge",
        UptimeMs = 1000,
        Draining = false,
        Listeners = [],
        Connections = [],
        Streams = [],
        Traffic = new TrafficStatus([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
        ViewerWrites = [],
        SegmentCache = new SegmentCacheStatus(0, 0, 1, 0, 0, 0),
        Auth = new AuthStatus(0, []),
        Routes = [],
        Memory = new MemoryStatus(0, 0, 0, 0, 0),
        Runtime = new RuntimeStatus([0], TimeSpan.Zero, 1, 0, 0),
        Process = new ProcessStatus(1, 0, 0, null),
        Webhooks = webhooks,
    };
}
