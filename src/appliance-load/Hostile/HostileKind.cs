namespace Appliance.Load.Hostile;

/// <summary>
/// The kinds of hostile connection: the mix of the end-to-end hostile-peer test, three against the
/// RTMP listener and two against the HTTP listener.
/// </summary>
internal enum HostileKind
{
    /// <summary>1 byte to 8 KiB of random bytes where a handshake should be (the version byte is never 3).</summary>
    RandomBytes,

    /// <summary>C0 and part of C1, then silence: only the handshake deadline ends it.</summary>
    HalfHandshake,

    /// <summary>A whole handshake, then a chunk size of 2^31-1 and a message header announcing 16 MiB.</summary>
    GiantChunk,

    /// <summary>A request head of 100 headers of 400 bytes each (about 40 KB).</summary>
    OversizedHeaders,

    /// <summary>A request line, then one header line every 500 ms, never the end of the head.</summary>
    Slowloris,
}

internal static class HostileKinds
{
    public static readonly HostileKind[] All =
        [HostileKind.RandomBytes, HostileKind.HalfHandshake, HostileKind.GiantChunk, HostileKind.OversizedHeaders, HostileKind.Slowloris];

    public static bool IsRtmp(this HostileKind kind) => kind is HostileKind.RandomBytes or HostileKind.HalfHandshake or HostileKind.GiantChunk;

    public static string Name(this HostileKind kind) => kind switch
    {
        HostileKind.RandomBytes => "random bytes",
        HostileKind.HalfHandshake => "half handshake",
        HostileKind.GiantChunk => "giant chunk",
        HostileKind.OversizedHeaders => "oversized headers",
        _ => "slowloris",
    };

    /// <summary>The name in the JSON report.</summary>
    public static string Key(this HostileKind kind) => kind switch
    {
        HostileKind.RandomBytes => "randomBytes",
        HostileKind.HalfHandshake => "halfHandshake",
        HostileKind.GiantChunk => "giantChunk",
        HostileKind.OversizedHeaders => "oversizedHeaders",
        _ => "slowloris",
    };
}
