namespace Appliance.Control.Contract;

/// <summary>One live stream: where it comes from, what it is, who watches it.</summary>
public sealed class StreamReport
{
    /// <summary>domain/app/name.</summary>
    public string Key { get; set; } = "";

    /// <summary>publisher, pull, transcoder (a ladder's rung), or none (in the grace period after its source left).</summary>
    public string SourceKind { get; set; } = "none";

    /// <summary>The publisher's address or the upstream URL.</summary>
    public string? Source { get; set; }

    public long UptimeSeconds { get; set; }

    public long IngestBitsPerSecond { get; set; }

    public double IngestFps { get; set; }

    public string? VideoCodec { get; set; }

    public string? AudioCodec { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public long BytesIn { get; set; }

    /// <summary>Bytes sent so far to the stream's open viewer sessions.</summary>
    public long BytesOut { get; set; }

    /// <summary>Viewers by protocol: rtmp, flv, ts, and hls (HLS players, each a session that lives while its requests come within a window).</summary>
    public Dictionary<string, int> Viewers { get; set; } = [];

    /// <summary>Push targets this stream is forwarded to (empty unless the app has push targets).</summary>
    public List<PushReport> Pushes { get; set; } = [];

    /// <summary>The transcoder making this stream's ladder rungs; null when none runs.</summary>
    public TranscoderReport? Transcoder { get; set; }
}
