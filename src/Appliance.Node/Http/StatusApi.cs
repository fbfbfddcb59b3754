using Appliance.Node.Hosting;
using System.Text.Json;
using Appliance.Node.Server;

namespace Appliance.Node.Http;

/// <summary>GET /api/status: what the process is doing and what it holds, for operators and perf runs.</summary>
internal static class StatusApi
{
    public static byte[] Render(NodeStatus status)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", status.Version);
            json.WriteNumber("uptimeSeconds", status.UptimeMs / 1000);
            json.WriteNumber("sessions", status.Sessions);
            json.WriteNumber("streams", status.Streams.Count);
            var memory = status.Memory;
            json.WriteStartObject("memory");
            json.WriteNumber("rssBytes", memory.RssBytes);
            json.WriteNumber("managedHeapBytes", memory.ManagedHeapBytes);
            json.WriteNumber("managedCommittedBytes", memory.ManagedCommittedBytes);
            json.WriteNumber("managedAllocatedBytes", memory.AllocatedBytes);
            json.WriteNumber("nativeBuffersOutstanding", memory.NativeBuffersOutstanding);
            json.WriteEndObject();
            var cache = status.SegmentCache;
            json.WriteStartObject("segmentCache");
            json.WriteNumber("segments", cache.Segments);
            json.WriteNumber("bytes", cache.Bytes);
            json.WriteNumber("maxBytes", cache.MaxBytes);
            json.WriteNumber("hits", cache.Hits);
            json.WriteNumber("misses", cache.Misses);
            json.WriteNumber("evictions", cache.Evictions);
            json.WriteEndObject();
            json.WriteStartObject("auth");
            json.WriteNumber("allowed", status.Auth.Allowed);
            json.WriteStartObject("refusedByReason");
            foreach (var (reason, count) in status.Auth.Refusals)
            {
                json.WriteNumber(reason.ToString(), count);
            }
            json.WriteEndObject();
            json.WriteNumber("refused", status.Auth.Refused);
            json.WriteEndObject();
            var runtime = status.Runtime;
            json.WriteStartObject("gc");
            json.WriteNumber("gen0", runtime.Collections[0]);
            json.WriteNumber("gen1", runtime.Collections[1]);
            json.WriteNumber("gen2", runtime.Collections[2]);
            json.WriteNumber("pauseTotalMs", runtime.GcPause.TotalMilliseconds);
            json.WriteEndObject();
            var transport = status.Transport;
            json.WriteStartObject("transport");
            json.WriteString("send", transport.Send);
            json.WriteNumber("ringEnters", transport.RingEnters);
            json.WriteNumber("ringSubmitted", transport.RingSubmitted);
            json.WriteNumber("ringCompleted", transport.RingCompleted);
            json.WriteEndObject();
            WriteTranscoders(json, status);
            WriteCertificates(json, status);
            json.WriteNumber("threads", status.Process.Threads);
            json.WriteNumber("threadPoolThreads", runtime.ThreadPoolThreads);
            json.WriteNumber("threadPoolQueue", runtime.ThreadPoolQueue);
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    /// <summary>The TLS listeners' certificates and their expiry; an empty array without TLS listeners.</summary>
    private static void WriteCertificates(Utf8JsonWriter json, NodeStatus status)
    {
        json.WriteStartArray("certificates");
        foreach (var certificate in status.Certificates)
        {
            json.WriteStartObject();
            json.WriteString("name", certificate.Name);
            json.WriteString("path", certificate.Path);
            json.WriteString("notAfter", certificate.NotAfterUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteTranscoders(Utf8JsonWriter json, NodeStatus status)
    {
        json.WriteStartObject("transcode");
        json.WriteNumber("maxConcurrent", status.TranscodeMaxConcurrent);
        json.WriteNumber("refused", status.TranscodeRefused);
        json.WriteStartArray("transcoders");
        foreach (var transcoder in status.Transcoders)
        {
            json.WriteStartObject();
            json.WriteString("source", transcoder.Source.ToString());
            json.WriteString("state", transcoder.State);
            json.WriteNumber("pid", transcoder.Pid);
            json.WriteNumber("frames", transcoder.Frames);
            json.WriteNumber("fps", transcoder.Fps);
            json.WriteNumber("speed", transcoder.Speed);
            json.WriteNumber("restarts", transcoder.Restarts);
            json.WriteNumber("cpuSeconds", Math.Round(transcoder.CpuSeconds, 2));
            json.WriteStartArray("rungs");
            foreach (var rung in transcoder.Rungs)
            {
                json.WriteStartObject();
                json.WriteString("label", rung.Label);
                json.WriteString("stream", rung.Key.ToString());
                json.WriteNumber("height", rung.Height);
                json.WriteNumber("measuredBitsPerSecond", rung.MeasuredBitsPerSecond);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
