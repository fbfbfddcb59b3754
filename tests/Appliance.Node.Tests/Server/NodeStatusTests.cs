using Appliance.Node.Hosting;
using Appliance.Auth.Tokens;
using System.Text.Json;
using Appliance.Auth;
using Appliance.Control.Contract;
using Appliance.Core.Time;
using Appliance.Node.ControlSocket;
using Appliance.Node.Http;
using Appliance.Node.Metrics;
using Appliance.Node.Server;
using Appliance.Node.Tests.ControlSocket;
using Appliance.Node.Tests.Support;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.Server;

/// <summary>One snapshot of the node, three renderings: /api/status, the control socket's status reply, /metrics.</summary>
public sealed class NodeStatusTests
{
    private static readonly HttpClient Http = new() { Timeout = Eventually.Timeout };

    [Fact]
    public async Task Status_uptime_counts_from_node_start_not_from_the_first_status_request()
    {
        await using var node = await ControlHarness.StartAsync();
        var started = node.Server.Context.StartedMs;
        await Eventually.WaitAsync(() => MonotonicClock.NowMs - started >= 1_500, "the node to have been up 1.5 s");

        // The first status request of this node: a clock started by it would say 0.
        using var json = JsonDocument.Parse(await Http.GetStringAsync(AdminUrl(node, "api/status")));
        var reply = await node.AskAsync(new ControlRequest { Command = "status" });
        var metrics = PrometheusText.Parse(await Http.GetStringAsync(AdminUrl(node, "metrics")));

        Assert.InRange(json.RootElement.GetProperty("uptimeSeconds").GetInt64(), 1, 60);
        Assert.InRange(reply.Status!.UptimeSeconds, 1, 60);
        Assert.InRange(metrics.Value("appliance_uptime_seconds") ?? 0, 1.5, 60);
    }

    [Fact]
    public async Task The_three_renderings_show_the_same_figures_of_one_snapshot()
    {
        await using var node = await ControlHarness.StartAsync();
        var context = node.Server.Context;
        var app = context.Config.Domains[0].Apps[0];
        context.Streams.TryPublish(new StreamKey("default", "live", "a"), app, new TestSource(), out _);
        context.Streams.TryPublish(new StreamKey("default", "live", "b"), app, new TestSource(), out _);
        context.Auth.Record(AuthResult.Allow);
        context.Auth.Record(AuthResult.Refuse(AuthRefusal.Expired, "test"));
        context.Auth.Record(AuthResult.Refuse(AuthRefusal.Expired, "test"));
        context.Auth.Record(AuthResult.Refuse(AuthRefusal.BadSignature, "test"));
        var viewer = new ProbeSession(new PipeConnection(), "http-flv");
        context.Sessions.Add(viewer);
        await viewer.FlushAndStopAsync(3);

        var status = NodeStatus.Capture(node.Server, context.StartedMs + 7_500);
        using var document = JsonDocument.Parse(StatusApi.Render(status));
        var json = document.RootElement;
        var report = StatusReports.From(status);
        var metrics = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(status, maxStreamLabels: 10)));
        context.Sessions.Remove(viewer);

        Assert.Equal(7, json.GetProperty("uptimeSeconds").GetInt64());
        Assert.Equal(7, report.UptimeSeconds);
        Assert.Equal(7.5, metrics.Value("appliance_uptime_seconds"));
        Assert.Equal(status.Version, json.GetProperty("version").GetString());
        Assert.Equal(status.Version, report.Version);
        Assert.Equal(1, metrics.Value("appliance_build_info", $"version=\"{status.Version}\",node=\"{report.NodeId}\",role=\"{report.Role}\""));

        Assert.Equal(2, status.Streams.Count);
        Assert.Equal(2, json.GetProperty("streams").GetInt32());
        Assert.Equal(2, report.Streams);
        Assert.Equal(2, metrics.Value("appliance_streams"));
        Assert.Equal(status.Viewers.Total, report.Viewers);
        Assert.Equal(status.Viewers.Total, metrics.Series("appliance_viewers").Values.Sum());

        Assert.Equal(1, report.Connections["http-flv"]);
        Assert.Equal(1, metrics.Value("appliance_connections", "protocol=\"http-flv\""));
        Assert.Equal(status.Sessions, json.GetProperty("sessions").GetInt32());
        Assert.Equal(status.Sessions, report.Connections.Values.Sum());
        Assert.Equal(status.Sessions, metrics.Series("appliance_connections").Values.Sum());

        var memory = json.GetProperty("memory");
        Assert.Equal(status.Memory.RssBytes, memory.GetProperty("rssBytes").GetInt64());
        Assert.Equal(status.Memory.RssBytes, report.RssBytes);
        Assert.Equal(status.Memory.RssBytes, metrics.Value("process_resident_memory_bytes"));
        Assert.Equal(status.Memory.ManagedHeapBytes, memory.GetProperty("managedHeapBytes").GetInt64());
        Assert.Equal(status.Memory.ManagedHeapBytes, report.ManagedHeapBytes);
        Assert.Equal(status.Memory.ManagedHeapBytes, metrics.Value("appliance_gc_heap_bytes"));
        Assert.Equal(status.Memory.AllocatedBytes, memory.GetProperty("managedAllocatedBytes").GetInt64());
        Assert.Equal(status.Memory.AllocatedBytes, report.AllocatedBytes);
        Assert.Equal(status.Memory.AllocatedBytes, metrics.Value("appliance_gc_allocated_bytes_total"));
        Assert.Equal(status.Memory.NativeBuffersOutstanding, memory.GetProperty("nativeBuffersOutstanding").GetInt64());
        Assert.Equal(status.Memory.NativeBuffersOutstanding, metrics.Value("appliance_native_buffers_outstanding"));

        var gc = json.GetProperty("gc");
        int[] collections = [report.Gen0Collections, report.Gen1Collections, report.Gen2Collections];
        for (var generation = 0; generation < 3; generation++)
        {
            Assert.Equal(status.Runtime.Collections[generation], gc.GetProperty($"gen{generation}").GetInt32());
            Assert.Equal(status.Runtime.Collections[generation], collections[generation]);
            Assert.Equal(status.Runtime.Collections[generation], metrics.Value("appliance_gc_collections_total", $"generation=\"{generation}\""));
        }
        Assert.Equal(status.Runtime.GcPause.TotalSeconds, gc.GetProperty("pauseTotalMs").GetDouble() / 1000, 9);
        Assert.Equal(status.Runtime.GcPause.TotalSeconds, metrics.Value("appliance_gc_pause_seconds_total") ?? -1, 9);
        Assert.Equal(status.Runtime.ThreadPoolThreads, json.GetProperty("threadPoolThreads").GetInt32());
        Assert.Equal(status.Runtime.ThreadPoolThreads, report.ThreadPoolThreads);
        Assert.Equal(status.Runtime.ThreadPoolThreads, metrics.Value("appliance_threadpool_threads"));
        Assert.Equal(status.Runtime.ThreadPoolQueue, json.GetProperty("threadPoolQueue").GetInt64());
        Assert.Equal(status.Runtime.ThreadPoolQueue, report.ThreadPoolQueue);
        Assert.Equal(status.Runtime.ThreadPoolQueue, metrics.Value("appliance_threadpool_queue_length"));
        Assert.Equal(status.Process.Threads, json.GetProperty("threads").GetInt32());
        Assert.Equal(status.Process.Threads, metrics.Value("process_threads"));

        var cache = json.GetProperty("segmentCache");
        Assert.Equal(status.SegmentCache.MaxBytes, cache.GetProperty("maxBytes").GetInt64());
        Assert.Equal(status.SegmentCache.MaxBytes, metrics.Value("appliance_segment_cache_max_bytes"));
        Assert.Equal(status.SegmentCache.Hits, cache.GetProperty("hits").GetInt64());
        Assert.Equal(status.SegmentCache.Hits, metrics.Value("appliance_segment_cache_hits_total"));

        var auth = json.GetProperty("auth");
        Assert.Equal(1, auth.GetProperty("allowed").GetInt64());
        Assert.Equal(1, metrics.Value("appliance_auth_allowed_total"));
        Assert.Equal(3, auth.GetProperty("refused").GetInt64());
        Assert.Equal(3, metrics.Series("appliance_auth_refused_total").Values.Sum());
        Assert.Equal(2, auth.GetProperty("refusedByReason").GetProperty("Expired").GetInt64());
        Assert.Equal(2, metrics.Value("appliance_auth_refused_total", "reason=\"Expired\""));
        Assert.Equal(1, metrics.Value("appliance_auth_refused_total", "reason=\"BadSignature\""));

        Assert.Equal(3, metrics.Value("appliance_viewer_flushes_total", "protocol=\"http-flv\""));
        Assert.Equal(3, metrics.Value("appliance_viewer_writes_total", "protocol=\"http-flv\""));
        Assert.Equal(3, metrics.Value("appliance_viewer_written_bytes_total", "protocol=\"http-flv\""));
        Assert.Equal(0, metrics.Value("appliance_viewer_written_bytes_total", "protocol=\"rtmp\""));
        Assert.Equal(0, metrics.Value("appliance_viewer_flushes_total", "protocol=\"rtmp\""));
        Assert.Equal("running", report.State);
        Assert.Equal(0, metrics.Value("appliance_draining"));
    }

    [Fact]
    public async Task A_draining_node_says_so_in_the_control_reply_and_the_metrics_of_one_snapshot()
    {
        await using var node = await ControlHarness.StartAsync();
        node.Server.Context.Draining = true;

        var status = NodeStatus.Capture(node.Server);
        var report = StatusReports.From(status);
        var metrics = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(status, maxStreamLabels: 10)));

        Assert.Equal("draining", report.State);
        Assert.Equal(1, metrics.Value("appliance_draining"));
    }

    private static string AdminUrl(ControlHarness node, string path) =>
        $"http://{node.Server.Listeners.Single(l => l.Name == "admin").Address}/{path}";
}
