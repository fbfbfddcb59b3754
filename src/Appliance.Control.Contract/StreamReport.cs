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

    /// <summary>The rendition group the stream is in (its name), or null outside any group of two or more.</summary>
    public string? Group { get; set; }

    /// <summary>
    /// Where it stands in its group, as the group's playlists last found: top, aligned, pending (no
    /// segment yet), or misaligned (left out of the group's playlists); the worst over HLS and CMAF.
    /// </summary>
    public string? Rendition { get; set; }

    /// <summary>Why it is misaligned, when it is.</summary>
    public string? RenditionDetail { get; set; }

    /// <summary>The transcoder making this stream's ladder rungs; null when none runs.</summary>
    public TranscoderReport? Transcoder { get; set; }
}
