using Appliance.Auth.Tokens;
using System.Diagnostics;
using System.Text.Json;
using Appliance.Core.Buffers;
using Appliance.Core.Time;
using Appliance.Node.Server;

namespace Appliance.Node.Http;

/// <summary>GET /api/status: what the process is doing and what it holds, for operators and perf runs.</summary>
internal static class StatusApi
{
    private static readonly long StartedMs = MonotonicClock.NowMs;

    public static byte[] Render(ServerContext context)
    {
        var gc = GC.GetGCMemoryInfo();
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", ServerContext.Version);
            json.WriteNumber("uptimeSeconds", (MonotonicClock.NowMs - StartedMs) / 1000);
            json.WriteNumber("sessions", context.Sessions.Count);
            json.WriteNumber("streams", context.Streams.Count);
            json.WriteStartObject("memory");
            json.WriteNumber("rssBytes", Environment.WorkingSet);
            json.WriteNumber("managedHeapBytes", gc.HeapSizeBytes);
            json.WriteNumber("managedCommittedBytes", gc.TotalCommittedBytes);
            json.WriteNumber("managedAllocatedBytes", GC.GetTotalAllocatedBytes());
            json.WriteNumber("nativeBuffersOutstanding", BufferPool.Shared.Outstanding);
            json.WriteEndObject();
            var cache = context.Streams.Segments;
            json.WriteStartObject("segmentCache");
            json.WriteNumber("segments", cache.Segments);
            json.WriteNumber("bytes", cache.Bytes);
            json.WriteNumber("maxBytes", cache.MaxBytes);
            json.WriteNumber("hits", cache.Hits);
            json.WriteNumber("misses", cache.Misses);
            json.WriteNumber("evictions", cache.Evictions);
            json.WriteEndObject();
            var auth = context.Auth;
            json.WriteStartObject("auth");
            json.WriteNumber("allowed", auth.Allowed);
            long refused = 0;
            json.WriteStartObject("refusedByReason");
            foreach (var reason in Enum.GetValues<Auth.Tokens.AuthRefusal>())
            {
                if (reason != Auth.Tokens.AuthRefusal.None)
                {
                    var count = auth.Refusals(reason);
                    refused += count;
                    json.WriteNumber(reason.ToString(), count);
                }
            }
            json.WriteEndObject();
            json.WriteNumber("refused", refused);
            json.WriteEndObject();
            json.WriteStartObject("gc");
            json.WriteNumber("gen0", GC.CollectionCount(0));
            json.WriteNumber("gen1", GC.CollectionCount(1));
            json.WriteNumber("gen2", GC.CollectionCount(2));
            json.WriteNumber("pauseTotalMs", GC.GetTotalPauseDuration().TotalMilliseconds);
            json.WriteEndObject();
            json.WriteNumber("threads", Process.GetCurrentProcess().Threads.Count);
            json.WriteNumber("threadPoolThreads", ThreadPool.ThreadCount);
            json.WriteNumber("threadPoolQueue", ThreadPool.PendingWorkItemCount);
            json.WriteEndObject();
        }
        return output.ToArray();
    }
}
