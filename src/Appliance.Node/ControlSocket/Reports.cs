using Appliance.Node.Hosting;
using Appliance.Core.Time;
using Appliance.Control.Contract;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Streaming.Streams;

namespace Appliance.Node.ControlSocket;

/// <summary>The control socket's views of the node, built on demand (never kept up to date per frame).</summary>
internal static class Reports
{
    public static StatusReport Status(NodeStatus status)
    {
        var report = new StatusReport
        {
            Version = status.Version,
            NodeId = status.NodeId,
            Role = status.Role,
            UptimeSeconds = status.UptimeMs / 1000,
            ConfigPath = status.ConfigPath,
            State = status.Draining ? "draining" : "running",
            Listeners = [.. status.Listeners.Select(l => new ListenerReport { Name = l.Name, Address = l.Address })],
            Connections = status.Connections.ToDictionary(c => c.Protocol, c => c.Count),
            Streams = status.Streams.Count,
            Viewers = status.Viewers.Total,
            RssBytes = status.Memory.RssBytes,
            ManagedHeapBytes = status.Memory.ManagedHeapBytes,
            AllocatedBytes = status.Memory.AllocatedBytes,
            Gen0Collections = status.Runtime.Collections[0],
            Gen1Collections = status.Runtime.Collections[1],
            Gen2Collections = status.Runtime.Collections[2],
            ThreadPoolThreads = status.Runtime.ThreadPoolThreads,
            ThreadPoolQueue = status.Runtime.ThreadPoolQueue,
        };
        if (status.Directory is { } directory)
        {
            report.Directory = directory.Up ? "up" : "down";
            report.DirectoryRedis = directory.Redis;
            report.DirectoryRegistered = directory.Registered;
        }
        return report;
    }

    public static List<StreamReport> Streams(ServerContext context)
    {
        var bytesOut = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var session in context.Sessions.Sessions)
        {
            if (session.IsViewer)
            {
                bytesOut[session.StreamPath] = bytesOut.GetValueOrDefault(session.StreamPath) + session.BytesOut;
            }
        }
        var now = MonotonicClock.NowMs;
        var reports = new List<StreamReport>();
        foreach (var stream in context.Streams.Streams)
        {
            var stats = stream.Stats;
            var source = stream.Source;
            var key = stream.Key.ToString();
            var report = new StreamReport
            {
                Key = key,
                SourceKind = source switch
                {
                    null => "none",
                    IUpstreamSource => "pull",
                    _ => "publisher",
                },
                Source = source?.Description,
                UptimeSeconds = (now - stream.CreatedAtMs) / 1000,
                IngestBitsPerSecond = stats.BitsPerSecond,
                IngestFps = stats.FramesPerSecond,
                VideoCodec = stats.VideoCodec,
                AudioCodec = stats.AudioCodec,
                Width = stats.Width,
                Height = stats.Height,
                BytesIn = stats.Bytes,
                BytesOut = bytesOut.GetValueOrDefault(key),
            };
            var viewers = stream.CountViewers();
            report.Viewers = new() { ["rtmp"] = viewers.Rtmp, ["flv"] = viewers.Flv, ["ts"] = viewers.Ts };
            report.Pushes = context.Push?.Report(stream).ConvertAll(PushReports.From) ?? [];
            reports.Add(report);
        }
        reports.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return reports;
    }

    public static List<SessionReport> Sessions(ServerContext context, ControlRequest filter)
    {
        var now = MonotonicClock.NowMs;
        var reports = new List<SessionReport>();
        foreach (var session in context.Sessions.Sessions)
        {
            if (!Matches(session, filter))
            {
                continue;
            }
            reports.Add(new SessionReport
            {
                Id = session.Id,
                Protocol = session.Protocol,
                Client = session.Client,
                Stream = session.StreamPath,
                AgeSeconds = (now - session.StartedMs) / 1000,
                BytesIn = session.BytesIn,
                BytesOut = session.BytesOut,
            });
        }
        reports.Sort((a, b) => a.Id.CompareTo(b.Id));
        return reports;
    }

    private static bool Matches(SessionBase session, ControlRequest filter) =>
        (filter.Stream is null || StreamMatches(session.StreamPath, filter.Stream)) &&
        (filter.Protocol is null || session.Protocol.StartsWith(filter.Protocol, StringComparison.Ordinal)) &&
        (filter.Client is null || session.Client.StartsWith(filter.Client, StringComparison.Ordinal));

    /// <summary>"domain/app/name" matches itself; "app/name" matches that app and name on any domain.</summary>
    public static bool StreamMatches(string key, string wanted) =>
        key == wanted || key.EndsWith("/" + wanted, StringComparison.Ordinal) && wanted.Contains('/', StringComparison.Ordinal);

    public static bool StreamMatches(StreamKey key, string wanted) => StreamMatches(key.ToString(), wanted);
}
