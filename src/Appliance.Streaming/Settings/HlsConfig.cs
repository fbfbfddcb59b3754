namespace Appliance.Streaming.Settings;

/// <summary>HLS packaging of an app's streams.</summary>
public sealed class HlsConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>Segments are cut at the first keyframe after this much media; a longer GOP raises it for that stream.</summary>
    public int TargetDurationMs { get; set; } = 2000;

    /// <summary>Segments listed in the live playlist.</summary>
    public int WindowSegments { get; set; } = 6;

    /// <summary>Segments kept after they leave the playlist, for players that are behind.</summary>
    public int ExtraSegments { get; set; } = 4;

    /// <summary>
    /// A playlist is served once it lists this many segments (or the stream ended), so players
    /// start a few segments behind live with a buffer instead of stalling at the edge; earlier
    /// requests wait for it, within a bound.
    /// </summary>
    public int MinSegments { get; set; } = 3;

    /// <summary>Package even when nobody asks for HLS (otherwise it starts with the first HLS request).</summary>
    public bool Always { get; set; }

    /// <summary>On-demand packaging stops this long after the last HLS request.</summary>
    public int IdleStopMs { get; set; } = 30_000;

    /// <summary>AES-128 segments and key rotation; off by default.</summary>
    public HlsEncryptionConfig Encryption { get; set; } = new();
}

/// <summary>The node-wide segment cache.</summary>
public sealed class CacheConfig
{
    /// <summary>All streams' segments together; past it, each stream gives up its oldest extra segments first.</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;
}
