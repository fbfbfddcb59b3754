namespace Appliance.Control.Contract;

/// <summary>The node at a glance.</summary>
public sealed class StatusReport
{
    public string Version { get; set; } = "";

    public string NodeId { get; set; } = "";

    public string Role { get; set; } = "";

    public long UptimeSeconds { get; set; }

    public string? ConfigPath { get; set; }

    /// <summary>running or draining.</summary>
    public string State { get; set; } = "running";

    public List<ListenerReport> Listeners { get; set; } = [];

    /// <summary>The stream directory: "off" (none configured), "up" or "down" (pulls use the configured upstreams meanwhile).</summary>
    public string Directory { get; set; } = "off";

    /// <summary>The directory's Redis server, host:port; null when off.</summary>
    public string? DirectoryRedis { get; set; }

    /// <summary>Streams published here that the directory holds for this node.</summary>
    public int DirectoryRegistered { get; set; }

    /// <summary>Open sessions by protocol (rtmp-play, rtmp-publish, http-flv, hls, ...).</summary>
    public Dictionary<string, int> Connections { get; set; } = [];

    public int Streams { get; set; }

    /// <summary>Rendition groups of two or more live renditions.</summary>
    public int RenditionGroups { get; set; }

    /// <summary>Renditions left out of their group's playlists because their segments do not align with the top rendition's.</summary>
    public int MisalignedRenditions { get; set; }

    public int Viewers { get; set; }

    /// <summary>The ladders' transcoders running now (also listed with their source stream by `streams`).</summary>
    public List<TranscoderReport> Transcoders { get; set; } = [];

    /// <summary>The most transcoders that may run at once (transcode.maxConcurrent).</summary>
    public int TranscodeMaxConcurrent { get; set; }

    /// <summary>Transcoders refused since start because the maximum ran.</summary>
    public long TranscodeRefused { get; set; }

    /// <summary>The certificates the TLS listeners present now, with their expiry.</summary>
    public List<CertificateReport> Certificates { get; set; } = [];

    public long RssBytes { get; set; }

    public long ManagedHeapBytes { get; set; }

    public long AllocatedBytes { get; set; }

    public int Gen0Collections { get; set; }

    public int Gen1Collections { get; set; }

    public int Gen2Collections { get; set; }

    public int ThreadPoolThreads { get; set; }

    public long ThreadPoolQueue { get; set; }
}

public sealed class ListenerReport
{
    public string Name { get; set; } = "";

    public string Address { get; set; } = "";
}

public sealed class CertificateReport
{
    /// <summary>The first configured name, or the certificate's subject.</summary>
    public string Name { get; set; } = "";

    public string Path { get; set; } = "";

    /// <summary>When it expires, ISO 8601 UTC.</summary>
    public DateTime NotAfter { get; set; }
}
