using Appliance.Auth.Tokens;
using Appliance.Transport.Accounting;
using System.Diagnostics;
using Appliance.Core.Buffers;
using Appliance.Core.Time;
using Appliance.Auth;
using Appliance.Node.Server;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Metrics;

/// <summary>
/// Everything /metrics shows, computed at scrape time from the counters the node keeps anyway,
/// so the data path does no extra work for metrics. Per-stream labels are bounded: the most
/// watched streams get their own, the rest are summed under stream="_other".
/// </summary>
public static class NodeMetrics
{
    public const string OtherStreams = "_other";

    public static byte[] Render(ApplianceServer server)
    {
        var context = server.Context;
        var metrics = new PrometheusWriter();
        metrics.Family("appliance_build_info", "gauge", "Version of the running daemon (always 1).");
        metrics.Sample("appliance_build_info", 1, ("version", ServerContext.Version), ("node", context.NodeId), ("role", context.Role));
        metrics.Single("appliance_uptime_seconds", "gauge", "Seconds since the daemon started.", (MonotonicClock.NowMs - context.StartedMs) / 1000.0);
        metrics.Single("appliance_draining", "gauge", "1 while the node drains (accepts nothing new).", context.Draining ? 1 : 0);
        Connections(metrics, context);
        Traffic(metrics, context);
        Streams(metrics, context, context.Config.Admin.MaxStreamLabels);
        Cache(metrics, context);
        Auth(metrics, context.Auth);
        Routes(metrics, server);
        StreamDirectory(metrics, context);
        Runtime(metrics);
        return metrics.ToUtf8();
    }

    private static void Connections(PrometheusWriter metrics, ServerContext context)
    {
        var open = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var session in context.Sessions.Sessions)
        {
            open[session.Protocol] = open.GetValueOrDefault(session.Protocol) + 1;
        }
        metrics.Family("appliance_connections", "gauge", "Open sessions by protocol (rtmp-play, rtmp-publish, http-flv, http-ts, hls, http, ...).");
        foreach (var (protocol, count) in open)
        {
            metrics.Sample("appliance_connections", count, ("protocol", protocol));
        }
        var traffic = context.Traffic;
        // Pulls and pushes are connections this node makes, not ones it admits.
        const int admitting = 3;
        metrics.Family("appliance_connections_accepted_total", "counter", "Connections admitted, by listener.");
        for (var i = 0; i < admitting; i++)
        {
            metrics.Sample("appliance_connections_accepted_total", traffic.Accepted(i), ("listener", TrafficTotals.Listeners[i]));
        }
        metrics.Family("appliance_connections_refused_total", "counter", "Connections refused by the connection limits, by listener.");
        for (var i = 0; i < admitting; i++)
        {
            metrics.Sample("appliance_connections_refused_total", traffic.Refused(i), ("listener", TrafficTotals.Listeners[i]));
        }
    }

    private static void Traffic(PrometheusWriter metrics, ServerContext context)
    {
        var (bytesIn, bytesOut) = context.Traffic.Snapshot(context.Sessions.Sessions);
        metrics.Family("appliance_received_bytes_total", "counter", "Bytes received, by listener (upstream = pulls from parents, push = pushes to other nodes), open connections included.");
        for (var i = 0; i < bytesIn.Length; i++)
        {
            metrics.Sample("appliance_received_bytes_total", bytesIn[i], ("listener", TrafficTotals.Listeners[i]));
        }
        metrics.Family("appliance_sent_bytes_total", "counter", "Bytes sent, by listener (upstream = pulls from parents, push = pushes to other nodes), open connections included.");
        for (var i = 0; i < bytesOut.Length; i++)
        {
            metrics.Sample("appliance_sent_bytes_total", bytesOut[i], ("listener", TrafficTotals.Listeners[i]));
        }
    }

    private static void Streams(PrometheusWriter metrics, ServerContext context, int maxLabels)
    {
        var streams = new List<(LiveStream Stream, int Rtmp, int Flv, int Ts)>();
        int rtmp = 0, flv = 0, ts = 0;
        foreach (var stream in context.Streams.Streams)
        {
            var viewers = stream.CountViewers();
            rtmp += viewers.Rtmp;
            flv += viewers.Flv;
            ts += viewers.Ts;
            streams.Add((stream, viewers.Rtmp, viewers.Flv, viewers.Ts));
        }
        metrics.Single("appliance_streams", "gauge", "Live streams on this node (published or pulled).", streams.Count);
        metrics.Family("appliance_viewers", "gauge", "Viewers connected, by protocol.");
        metrics.Sample("appliance_viewers", rtmp, ("protocol", "rtmp"));
        metrics.Sample("appliance_viewers", flv, ("protocol", "http-flv"));
        metrics.Sample("appliance_viewers", ts, ("protocol", "http-ts"));

        streams.Sort((a, b) => (b.Rtmp + b.Flv + b.Ts).CompareTo(a.Rtmp + a.Flv + a.Ts));
        var labelled = streams.Take(maxLabels).ToList();
        var other = streams.Skip(maxLabels).ToList();
        metrics.Family("appliance_stream_ingest_bits_per_second", "gauge", "Ingest bit rate of a stream over the last second.");
        foreach (var entry in labelled)
        {
            metrics.Sample("appliance_stream_ingest_bits_per_second", entry.Stream.Stats.BitsPerSecond, ("stream", entry.Stream.Key.ToString()));
        }
        if (other.Count > 0)
        {
            metrics.Sample("appliance_stream_ingest_bits_per_second", other.Sum(e => (double)e.Stream.Stats.BitsPerSecond), ("stream", OtherStreams));
        }
        metrics.Family("appliance_stream_ingest_frames_per_second", "gauge", "Video frames per second a stream takes in.");
        foreach (var entry in labelled)
        {
            metrics.Sample("appliance_stream_ingest_frames_per_second", entry.Stream.Stats.FramesPerSecond, ("stream", entry.Stream.Key.ToString()));
        }
        metrics.Family("appliance_stream_viewers", "gauge", "Viewers of a stream, by protocol.");
        foreach (var entry in labelled)
        {
            var key = entry.Stream.Key.ToString();
            metrics.Sample("appliance_stream_viewers", entry.Rtmp, ("stream", key), ("protocol", "rtmp"));
            metrics.Sample("appliance_stream_viewers", entry.Flv, ("stream", key), ("protocol", "http-flv"));
            metrics.Sample("appliance_stream_viewers", entry.Ts, ("stream", key), ("protocol", "http-ts"));
        }
        if (other.Count > 0)
        {
            metrics.Sample("appliance_stream_viewers", other.Sum(e => e.Rtmp), ("stream", OtherStreams), ("protocol", "rtmp"));
            metrics.Sample("appliance_stream_viewers", other.Sum(e => e.Flv), ("stream", OtherStreams), ("protocol", "http-flv"));
            metrics.Sample("appliance_stream_viewers", other.Sum(e => e.Ts), ("stream", OtherStreams), ("protocol", "http-ts"));
        }
    }

    private static void Cache(PrometheusWriter metrics, ServerContext context)
    {
        var cache = context.Streams.Segments;
        metrics.Single("appliance_segment_cache_hits_total", "counter", "HLS segment requests served from the cache.", cache.Hits);
        metrics.Single("appliance_segment_cache_misses_total", "counter", "HLS segment requests for segments the cache does not hold.", cache.Misses);
        metrics.Single("appliance_segment_cache_evictions_total", "counter", "Segments evicted to stay under the cache limit.", cache.Evictions);
        metrics.Single("appliance_segment_cache_bytes", "gauge", "Bytes of segments held.", cache.Bytes);
        metrics.Single("appliance_segment_cache_segments", "gauge", "Segments held.", cache.Segments);
        metrics.Single("appliance_segment_cache_max_bytes", "gauge", "The configured cache limit.", cache.MaxBytes);
    }

    private static void Auth(PrometheusWriter metrics, AuthStats auth)
    {
        metrics.Single("appliance_auth_allowed_total", "counter", "Requests an app's access policy let through.", auth.Allowed);
        metrics.Family("appliance_auth_refused_total", "counter", "Requests refused by an app's access policy, by reason.");
        foreach (var reason in Enum.GetValues<AuthRefusal>())
        {
            if (reason != AuthRefusal.None)
            {
                metrics.Sample("appliance_auth_refused_total", auth.Refusals(reason), ("reason", reason.ToString()));
            }
        }
    }

    private static void Routes(PrometheusWriter metrics, ApplianceServer server)
    {
        var routes = server.Routes();
        metrics.Family("appliance_upstream_up", "gauge", "1 when an upstream candidate is usable, 0 while it is marked down.");
        foreach (var route in routes)
        {
            metrics.Sample("appliance_upstream_up", route.Down ? 0 : 1, ("app", route.App), ("upstream", route.Url));
        }
        metrics.Family("appliance_upstream_rtt_milliseconds", "gauge", "Peak-EWMA round-trip time to an upstream candidate.");
        foreach (var route in routes)
        {
            if (route.RttMs is { } rtt)
            {
                metrics.Sample("appliance_upstream_rtt_milliseconds", rtt, ("app", route.App), ("upstream", route.Url));
            }
        }
        metrics.Family("appliance_upstream_streams", "gauge", "Streams this node pulls from an upstream candidate now.");
        foreach (var route in routes)
        {
            metrics.Sample("appliance_upstream_streams", route.Streams.Count, ("app", route.App), ("upstream", route.Url));
        }
        metrics.Family("appliance_upstream_failures", "gauge", "Consecutive failed attempts on an upstream candidate.");
        foreach (var route in routes)
        {
            metrics.Sample("appliance_upstream_failures", route.Failures, ("app", route.App), ("upstream", route.Url));
        }
    }

    /// <summary>Only with a directory configured: a node without one has nothing to alert on.</summary>
    private static void StreamDirectory(PrometheusWriter metrics, ServerContext context)
    {
        if (context.Relay?.Directory is not { } directory)
        {
            return;
        }
        metrics.Single("appliance_directory_up", "gauge", "1 while the stream directory's Redis answers, 0 while pulls fall back to the configured upstreams.", directory.IsUp ? 1 : 0);
        metrics.Single("appliance_directory_registered_streams", "gauge", "Streams published here that the stream directory holds for this node.", directory.Registered);
    }

    private static void Runtime(PrometheusWriter metrics)
    {
        metrics.Family("appliance_gc_collections_total", "counter", "Garbage collections, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            metrics.Sample("appliance_gc_collections_total", GC.CollectionCount(generation), ("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        metrics.Single("appliance_gc_allocated_bytes_total", "counter", "Managed bytes allocated since start.", GC.GetTotalAllocatedBytes());
        metrics.Single("appliance_gc_heap_bytes", "gauge", "Managed heap size after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        metrics.Single("appliance_gc_pause_seconds_total", "counter", "Time the runtime paused for collections.", GC.GetTotalPauseDuration().TotalSeconds);
        metrics.Single("appliance_native_buffers_outstanding", "gauge", "Pooled native buffers in use (frames, segments, batches).", BufferPool.Shared.Outstanding);
        metrics.Single("appliance_threadpool_threads", "gauge", "Thread pool threads.", ThreadPool.ThreadCount);
        metrics.Single("appliance_threadpool_queue_length", "gauge", "Work items waiting for a thread pool thread.", ThreadPool.PendingWorkItemCount);
        metrics.Single("appliance_threadpool_completed_items_total", "counter", "Work items the thread pool completed.", ThreadPool.CompletedWorkItemCount);
        using var process = Process.GetCurrentProcess();
        metrics.Single("process_resident_memory_bytes", "gauge", "Resident set size.", process.WorkingSet64);
        metrics.Single("process_cpu_seconds_total", "counter", "User and system CPU time.", process.TotalProcessorTime.TotalSeconds);
        metrics.Single("process_threads", "gauge", "OS threads of the process.", process.Threads.Count);
        metrics.Single("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch.", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds());
        if (Directory.Exists("/proc/self/fd"))
        {
            metrics.Single("process_open_fds", "gauge", "Open file descriptors.", Directory.GetFiles("/proc/self/fd").Length);
        }
    }
}
