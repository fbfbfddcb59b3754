using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Core.Buffers;
using Appliance.Core.Time;
using Appliance.Transport.Accounting;

namespace Appliance.Node.Hosting;

public sealed partial record NodeStatus
{
    /// <summary>The node now.</summary>
    public static NodeStatus Capture(INodeAdmin server) => Capture(server, MonotonicClock.NowMs);

    /// <summary>The node as of <paramref name="nowMs"/> (monotonic), which uptime and viewer-seconds count to.</summary>
    internal static NodeStatus Capture(INodeAdmin server, long nowMs)
    {
        var context = server.Context;
        var connections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var session in context.Sessions.Sessions)
        {
            connections[session.Protocol] = connections.GetValueOrDefault(session.Protocol) + 1;
        }
        var streams = new List<StreamStatus>();
        foreach (var stream in context.Streams.Streams)
        {
            streams.Add(new StreamStatus(stream.Key.ToString(), stream.CountViewers(), stream.Stats.BitsPerSecond, stream.Stats.FramesPerSecond));
        }
        var traffic = context.Traffic;
        var (bytesIn, bytesOut) = traffic.Snapshot(context.Sessions.Sessions);
        var listeners = TrafficTotals.Listeners.Length;
        var cache = context.Streams.Segments;
        var directory = context.Relay?.Directory;
        // GetGCMemoryInfo describes the last collection (all zero before the first one); the heap in
        // use now is GetTotalMemory, and the heap has committed at least that much.
        var gc = GC.GetGCMemoryInfo();
        var heapBytes = GC.GetTotalMemory(forceFullCollection: false);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new NodeStatus
        {
            Version = ServerContext.Version,
            NodeId = context.NodeId,
            Role = context.Role,
            UptimeMs = nowMs - context.StartedMs,
            ConfigPath = server.ConfigPath,
            Draining = context.Draining,
            Listeners = server.Listeners,
            Connections = [.. connections.Select(c => (c.Key, c.Value))],
            Streams = streams,
            Traffic = new TrafficStatus(
                [.. Enumerable.Range(0, listeners).Select(traffic.Accepted)],
                [.. Enumerable.Range(0, listeners).Select(traffic.Refused)],
                bytesIn, bytesOut),
            ViewerWrites = context.Sessions.CaptureViewerWrites(nowMs),
            SegmentCache = new SegmentCacheStatus(cache.Segments, cache.Bytes, cache.MaxBytes, cache.Hits, cache.Misses, cache.Evictions),
            Auth = new AuthStatus(context.Auth.Allowed,
                [.. Enum.GetValues<AuthRefusal>().Where(r => r != AuthRefusal.None).Select(r => (r, context.Auth.Refusals(r)))]),
            Routes = context.Relay?.Routes.Snapshot() ?? [],
            Directory = directory is null ? null : new DirectoryStatus(directory.IsUp, directory.Redis, directory.Registered),
            Webhooks = WebhookStatus.Of(context.Webhooks),
            Renditions = context.Renditions.Snapshot(),
            Transcoders = context.Transcoders?.Snapshot() ?? [],
            Certificates = [.. (context.Certificates?.Current ?? []).Select(c => new CertificateStatus(c.Label, c.CertPath, c.NotAfterUtc))],
            TranscodeMaxConcurrent = context.Config.Transcode.MaxConcurrent,
            TranscodeRefused = context.Transcoders?.Refusals ?? 0,
            Srt = context.Config.Srt.Listen.Length == 0 ? null : context.Srt.Snapshot(context.Sessions.Sessions, context.Config.Admin.MaxStreamLabels),
            Transport = new TransportStatus(context.Send.Name, context.Send.Ring?.Enters ?? 0, context.Send.Ring?.Submitted ?? 0, context.Send.Ring?.Completed ?? 0),
            Memory = new MemoryStatus(process.WorkingSet64, heapBytes, Math.Max(gc.TotalCommittedBytes, heapBytes), GC.GetTotalAllocatedBytes(), BufferPool.Shared.Outstanding),
            Runtime = new RuntimeStatus(
                [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(GC.CollectionCount)],
                GC.GetTotalPauseDuration(), ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount),
            Process = new ProcessStatus(process.Threads.Count, process.TotalProcessorTime.TotalSeconds,
                new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds(),
                System.IO.Directory.Exists("/proc/self/fd") ? System.IO.Directory.GetFiles("/proc/self/fd").Length : null),
        };
    }
}
