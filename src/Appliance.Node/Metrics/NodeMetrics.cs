using Appliance.Node.Hosting;
using System.Globalization;
using Appliance.Node.Server;
using Appliance.Transport.Accounting;

namespace Appliance.Node.Metrics;

/// <summary>
/// Everything /metrics shows, rendered from one <see cref="NodeStatus"/> captured at scrape time
/// from the counters the node keeps anyway, so the data path does no extra work for metrics.
/// Per-stream labels are bounded: the most watched streams get their own, the rest are summed
/// under stream="_other".
/// </summary>
public static class NodeMetrics
{
    public const string OtherStreams = "_other";

    public static byte[] Render(INodeAdmin server) =>
        Render(NodeStatus.Capture(server), server.Context.Config.Admin.MaxStreamLabels);

    public static byte[] Render(NodeStatus status, int maxStreamLabels)
    {
        var metrics = new PrometheusWriter();
        metrics.Family("appliance_build_info", "gauge", "Version of the running daemon (always 1).");
        metrics.Sample("appliance_build_info", 1, ("version", status.Version), ("node", status.NodeId), ("role", status.Role));
        metrics.Single("appliance_uptime_seconds", "gauge", "Seconds since the daemon started.", status.UptimeMs / 1000.0);
        metrics.Single("appliance_draining", "gauge", "1 while the node drains (accepts nothing new).", status.Draining ? 1 : 0);
        Connections(metrics, status);
        Traffic(metrics, status.Traffic);
        ViewerWrites(metrics, status);
        Streams(metrics, status, maxStreamLabels);
        Renditions(metrics, status, maxStreamLabels);
        Cache(metrics, status.SegmentCache);
        Auth(metrics, status.Auth);
        Routes(metrics, status);
        StreamDirectory(metrics, status.Directory);
        Webhooks(metrics, status.Webhooks);
        TranscoderMetrics.Write(metrics, status);
        SrtMetrics.Write(metrics, status.Srt);
        Certificates(metrics, status);
        Transport(metrics, status.Transport);
        Runtime(metrics, status);
        return metrics.ToUtf8();
    }

    private static void Connections(PrometheusWriter metrics, NodeStatus status)
    {
        metrics.Family("appliance_connections", "gauge", "Open connections by protocol (rtmp-play, rtmp-publish, http-flv, http-ts, http, ...); HLS players are in appliance_viewers.");
        foreach (var (protocol, count) in status.Connections)
        {
            metrics.Sample("appliance_connections", count, ("protocol", protocol));
        }
        var traffic = status.Traffic;
        metrics.Family("appliance_connections_accepted_total", "counter", "Connections admitted, by listener.");
        for (var i = 0; i < traffic.Accepted.Count; i++)
        {
            if (Admits(i))
            {
                metrics.Sample("appliance_connections_accepted_total", traffic.Accepted[i], ("listener", TrafficTotals.Listeners[i]));
            }
        }
        metrics.Family("appliance_connections_refused_total", "counter", "Connections refused by the connection limits, by listener.");
        for (var i = 0; i < traffic.Accepted.Count; i++)
        {
            if (Admits(i))
            {
                metrics.Sample("appliance_connections_refused_total", traffic.Refused[i], ("listener", TrafficTotals.Listeners[i]));
            }
        }
    }

    private static void Certificates(PrometheusWriter metrics, NodeStatus status)
    {
        if (status.Certificates.Count == 0)
        {
            return;
        }
        metrics.Family("appliance_tls_certificate_expiry_seconds", "gauge", "When each certificate of the TLS listeners expires, in Unix seconds; alert on it minus time().");
        foreach (var certificate in status.Certificates)
        {
            metrics.Sample("appliance_tls_certificate_expiry_seconds", new DateTimeOffset(certificate.NotAfterUtc, TimeSpan.Zero).ToUnixTimeSeconds(),
                ("name", certificate.Name), ("path", certificate.Path));
        }
    }

    // Pulls and pushes are connections this node makes, not ones it admits.
    private static bool Admits(int listener) => TrafficTotals.Listeners[listener] is not (TrafficTotals.Upstream or TrafficTotals.Push);

    private static void Traffic(PrometheusWriter metrics, TrafficStatus traffic)
    {
        metrics.Family("appliance_received_bytes_total", "counter", "Bytes received, by listener (upstream = pulls from parents, push = pushes to other nodes), open connections included.");
        for (var i = 0; i < traffic.BytesIn.Count; i++)
        {
            metrics.Sample("appliance_received_bytes_total", traffic.BytesIn[i], ("listener", TrafficTotals.Listeners[i]));
        }
        metrics.Family("appliance_sent_bytes_total", "counter", "Bytes sent, by listener (upstream = pulls from parents, push = pushes to other nodes), open connections included.");
        for (var i = 0; i < traffic.BytesOut.Count; i++)
        {
            metrics.Sample("appliance_sent_bytes_total", traffic.BytesOut[i], ("listener", TrafficTotals.Listeners[i]));
        }
    }

    /// <summary>Per viewer-second, writes and flushes (and bytes per write) say how well the fan-out merges frames (flushIntervalMs).</summary>
    private static void ViewerWrites(PrometheusWriter metrics, NodeStatus status)
    {
        metrics.Family("appliance_viewer_writes_total", "counter", "Socket write system calls for viewers (sendmsg, sendfile, send), by protocol, open connections included.");
        foreach (var viewers in status.ViewerWrites)
        {
            metrics.Sample("appliance_viewer_writes_total", viewers.Writes, ("protocol", viewers.Protocol));
        }
        metrics.Family("appliance_viewer_flushes_total", "counter", "Gather writes the viewers' connection writers flushed, by protocol, open connections included.");
        foreach (var viewers in status.ViewerWrites)
        {
            metrics.Sample("appliance_viewer_flushes_total", viewers.Flushes, ("protocol", viewers.Protocol));
        }
        metrics.Family("appliance_viewer_written_bytes_total", "counter", "Bytes the viewers' connection writers handed to their sockets, by protocol, open connections included: divide by writes for bytes per write.");
        foreach (var viewers in status.ViewerWrites)
        {
            metrics.Sample("appliance_viewer_written_bytes_total", viewers.Bytes, ("protocol", viewers.Protocol));
        }
        metrics.Family("appliance_viewer_seconds_total", "counter", "Seconds viewer connections were open, by protocol: divide writes and flushes by its rate for writes per viewer-second.");
        foreach (var viewers in status.ViewerWrites)
        {
            metrics.Sample("appliance_viewer_seconds_total", viewers.Seconds, ("protocol", viewers.Protocol));
        }
    }

    private static void Streams(PrometheusWriter metrics, NodeStatus status, int maxLabels)
    {
        var viewers = status.Viewers;
        metrics.Single("appliance_streams", "gauge", "Live streams on this node (published or pulled).", status.Streams.Count);
        metrics.Family("appliance_viewers", "gauge", "Viewers by protocol (hls: players that made a request within their session window).");
        metrics.Sample("appliance_viewers", viewers.Rtmp, ("protocol", "rtmp"));
        metrics.Sample("appliance_viewers", viewers.Flv, ("protocol", "http-flv"));
        metrics.Sample("appliance_viewers", viewers.Ts, ("protocol", "http-ts"));
        metrics.Sample("appliance_viewers", viewers.Hls, ("protocol", "hls"));

        var streams = status.Streams.ToList();
        streams.Sort((a, b) => b.Viewers.Total.CompareTo(a.Viewers.Total));
        var labelled = streams.Take(maxLabels).ToList();
        var other = streams.Skip(maxLabels).ToList();
        metrics.Family("appliance_stream_ingest_bits_per_second", "gauge", "Ingest bit rate of a stream over the last second.");
        foreach (var stream in labelled)
        {
            metrics.Sample("appliance_stream_ingest_bits_per_second", stream.IngestBitsPerSecond, ("stream", stream.Key));
        }
        if (other.Count > 0)
        {
            metrics.Sample("appliance_stream_ingest_bits_per_second", other.Sum(s => (double)s.IngestBitsPerSecond), ("stream", OtherStreams));
        }
        metrics.Family("appliance_stream_ingest_frames_per_second", "gauge", "Video frames per second a stream takes in.");
        foreach (var stream in labelled)
        {
            metrics.Sample("appliance_stream_ingest_frames_per_second", stream.IngestFramesPerSecond, ("stream", stream.Key));
        }
        metrics.Family("appliance_stream_viewers", "gauge", "Viewers of a stream, by protocol.");
        foreach (var stream in labelled)
        {
            metrics.Sample("appliance_stream_viewers", stream.Viewers.Rtmp, ("stream", stream.Key), ("protocol", "rtmp"));
            metrics.Sample("appliance_stream_viewers", stream.Viewers.Flv, ("stream", stream.Key), ("protocol", "http-flv"));
            metrics.Sample("appliance_stream_viewers", stream.Viewers.Ts, ("stream", stream.Key), ("protocol", "http-ts"));
            metrics.Sample("appliance_stream_viewers", stream.Viewers.Hls, ("stream", stream.Key), ("protocol", "hls"));
        }
        if (other.Count > 0)
        {
            metrics.Sample("appliance_stream_viewers", other.Sum(s => s.Viewers.Rtmp), ("stream", OtherStreams), ("protocol", "rtmp"));
            metrics.Sample("appliance_stream_viewers", other.Sum(s => s.Viewers.Flv), ("stream", OtherStreams), ("protocol", "http-flv"));
            metrics.Sample("appliance_stream_viewers", other.Sum(s => s.Viewers.Ts), ("stream", OtherStreams), ("protocol", "http-ts"));
            metrics.Sample("appliance_stream_viewers", other.Sum(s => s.Viewers.Hls), ("stream", OtherStreams), ("protocol", "hls"));
        }
    }

    /// <summary>Rendition groups, and for each rendition below a top one whether it is left out of its group for misaligned segments (as many as streams get labels).</summary>
    private static void Renditions(PrometheusWriter metrics, NodeStatus status, int maxLabels)
    {
        metrics.Single("appliance_rendition_groups", "gauge", "Rendition groups of two or more live renditions.", status.Renditions.Select(r => r.Group).Distinct().Count());
        metrics.Family("appliance_rendition_misaligned", "gauge",
            "1 while a rendition's segments do not align with its group's top rendition (it is left out of the group's playlists), else 0; by packaging (hls, cmaf).");
        foreach (var rendition in status.Renditions.Where(r => r.State != Streaming.Renditions.RenditionState.Top).Take(maxLabels))
        {
            metrics.Sample("appliance_rendition_misaligned", rendition.State == Streaming.Renditions.RenditionState.Misaligned ? 1 : 0,
                ("group", rendition.Group.ToString()), ("rendition", rendition.Rendition), ("packaging", rendition.Packaging == Streaming.Renditions.RenditionPackaging.Hls ? "hls" : "cmaf"));
        }
    }

    private static void Cache(PrometheusWriter metrics, SegmentCacheStatus cache)
    {
        metrics.Single("appliance_segment_cache_hits_total", "counter", "HLS segment requests served from the cache.", cache.Hits);
        metrics.Single("appliance_segment_cache_misses_total", "counter", "HLS segment requests for segments the cache does not hold.", cache.Misses);
        metrics.Single("appliance_segment_cache_evictions_total", "counter", "Segments evicted to stay under the cache limit.", cache.Evictions);
        metrics.Single("appliance_segment_cache_bytes", "gauge", "Bytes of segments held.", cache.Bytes);
        metrics.Single("appliance_segment_cache_segments", "gauge", "Segments held.", cache.Segments);
        metrics.Single("appliance_segment_cache_max_bytes", "gauge", "The configured cache limit.", cache.MaxBytes);
    }

    private static void Auth(PrometheusWriter metrics, AuthStatus auth)
    {
        metrics.Single("appliance_auth_allowed_total", "counter", "Requests an app's access policy let through.", auth.Allowed);
        metrics.Family("appliance_auth_refused_total", "counter", "Requests refused by an app's access policy, by reason.");
        foreach (var (reason, count) in auth.Refusals)
        {
            metrics.Sample("appliance_auth_refused_total", count, ("reason", reason.ToString()));
        }
    }

    private static void Routes(PrometheusWriter metrics, NodeStatus status)
    {
        var routes = status.Routes;
        metrics.Family("appliance_upstream_up", "gauge", "1 when an upstream candidate is usable, 0 while it is marked down.");
        foreach (var route in routes)
        {
            metrics.Sample("appliance_upstream_up", route.Health.Down ? 0 : 1, ("app", route.App), ("upstream", route.Url));
        }
        metrics.Family("appliance_upstream_rtt_milliseconds", "gauge", "Peak-EWMA round-trip time to an upstream candidate.");
        foreach (var route in routes)
        {
            if (route.Health.RttMs is { } rtt)
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
            metrics.Sample("appliance_upstream_failures", route.Health.ConsecutiveFailures, ("app", route.App), ("upstream", route.Url));
        }
    }

    /// <summary>Only with a directory configured: a node without one has nothing to alert on.</summary>
    private static void StreamDirectory(PrometheusWriter metrics, DirectoryStatus? directory)
    {
        if (directory is null)
        {
            return;
        }
        metrics.Single("appliance_directory_up", "gauge", "1 while the stream directory's Redis answers, 0 while pulls fall back to the configured upstreams.", directory.Up ? 1 : 0);
        metrics.Single("appliance_directory_registered_streams", "gauge", "Streams published here that the stream directory holds for this node.", directory.Registered);
    }

    private static void Webhooks(PrometheusWriter metrics, WebhookStatus webhooks)
    {
        metrics.Single("appliance_webhook_delivered_total", "counter", "Webhook events a backend answered with a 2xx.", webhooks.Delivered);
        metrics.Single("appliance_webhook_failed_total", "counter", "Webhook events given up: retries used up, or an answer not worth retrying (4xx, redirect).", webhooks.Failed);
        metrics.Single("appliance_webhook_dropped_total", "counter", "Webhook events dropped because their URL's queue was full.", webhooks.Dropped);
        metrics.Single("appliance_webhook_retries_total", "counter", "Webhook delivery attempts after a failed one.", webhooks.Retries);
        metrics.Single("appliance_webhook_queued", "gauge", "Webhook events waiting or in flight.", webhooks.Queued);
    }

    private static void Transport(PrometheusWriter metrics, TransportStatus transport)
    {
        metrics.Family("appliance_transport_send_info", "gauge", "How sockets are written (1 for the one in use): epoll, or io_uring.");
        metrics.Sample("appliance_transport_send_info", 1, ("send", transport.Send));
        metrics.Single("appliance_uring_enters_total", "counter", "io_uring_enter calls of the send ring (0 on epoll).", transport.RingEnters);
        metrics.Single("appliance_uring_submitted_total", "counter", "Entries the send ring submitted (sends, polls, cancels, its wake reads); per enter, this is the batching.", transport.RingSubmitted);
        metrics.Single("appliance_uring_completed_total", "counter", "Completions the send ring reaped.", transport.RingCompleted);
    }

    private static void Runtime(PrometheusWriter metrics, NodeStatus status)
    {
        var runtime = status.Runtime;
        metrics.Family("appliance_gc_collections_total", "counter", "Garbage collections, by generation.");
        for (var generation = 0; generation < runtime.Collections.Count; generation++)
        {
            metrics.Sample("appliance_gc_collections_total", runtime.Collections[generation], ("generation", generation.ToString(CultureInfo.InvariantCulture)));
        }
        metrics.Single("appliance_gc_allocated_bytes_total", "counter", "Managed bytes allocated since start.", status.Memory.AllocatedBytes);
        metrics.Single("appliance_gc_heap_bytes", "gauge", "Managed heap in use (objects not yet collected).", status.Memory.ManagedHeapBytes);
        metrics.Single("appliance_gc_pause_seconds_total", "counter", "Time the runtime paused for collections.", runtime.GcPause.TotalSeconds);
        metrics.Single("appliance_native_buffers_outstanding", "gauge", "Pooled native buffers in use (frames, segments, batches).", status.Memory.NativeBuffersOutstanding);
        metrics.Single("appliance_threadpool_threads", "gauge", "Thread pool threads.", runtime.ThreadPoolThreads);
        metrics.Single("appliance_threadpool_queue_length", "gauge", "Work items waiting for a thread pool thread.", runtime.ThreadPoolQueue);
        metrics.Single("appliance_threadpool_completed_items_total", "counter", "Work items the thread pool completed.", runtime.ThreadPoolCompleted);
        var process = status.Process;
        metrics.Single("process_resident_memory_bytes", "gauge", "Resident set size.", status.Memory.RssBytes);
        metrics.Single("process_cpu_seconds_total", "counter", "User and system CPU time.", process.CpuSeconds);
        metrics.Single("process_threads", "gauge", "OS threads of the process.", process.Threads);
        metrics.Single("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch.", process.StartTimeUnixSeconds);
        if (process.OpenFds is { } fds)
        {
            metrics.Single("process_open_fds", "gauge", "Open file descriptors.", fds);
        }
    }
}
