using Appliance.Control.Contract;
using Appliance.Node.Hosting;

namespace Appliance.Node.ControlSocket;

/// <summary>The node's status snapshot as the control protocol shows it (<c>appliancectl status</c>).</summary>
internal static class StatusReports
{
    public static StatusReport From(NodeStatus status)
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
            RenditionGroups = status.Renditions.Select(r => r.Group).Distinct().Count(),
            MisalignedRenditions = status.Renditions.Where(r => r.State == Streaming.Renditions.RenditionState.Misaligned)
                .Select(r => (r.Group, r.Rendition)).Distinct().Count(),
            Viewers = status.Viewers.Total,
            RssBytes = status.Memory.RssBytes,
            ManagedHeapBytes = status.Memory.ManagedHeapBytes,
            AllocatedBytes = status.Memory.AllocatedBytes,
            Gen0Collections = status.Runtime.Collections[0],
            Gen1Collections = status.Runtime.Collections[1],
            Gen2Collections = status.Runtime.Collections[2],
            ThreadPoolThreads = status.Runtime.ThreadPoolThreads,
            ThreadPoolQueue = status.Runtime.ThreadPoolQueue,
            Transcoders = [.. status.Transcoders.Select(TranscoderReports.From)],
            TranscodeMaxConcurrent = status.TranscodeMaxConcurrent,
            TranscodeRefused = status.TranscodeRefused,
            Certificates = [.. status.Certificates.Select(c => new CertificateReport { Name = c.Name, Path = c.Path, NotAfter = c.NotAfterUtc })],
        };
        if (status.Directory is { } directory)
        {
            report.Directory = directory.Up ? "up" : "down";
            report.DirectoryRedis = directory.Redis;
            report.DirectoryRegistered = directory.Registered;
        }
        return report;
    }
}
