namespace Appliance.Node.Config;

/// <summary>Node-wide security settings.</summary>
public sealed class SecurityConfig
{
    /// <summary>
    /// Hex key that signs HLS session tokens (written into segment URLs of authorized playlists).
    /// Give every edge of a CDN the same one so a player can fetch segments from any of them;
    /// unset, each process makes a random one.
    /// </summary>
    public string? SessionSecret { get; set; }

    /// <summary>
    /// Hex key the AES-128 keys of encrypted HLS (hls.encryption) are derived from. Give every node
    /// of a CDN the same one so they all serve the same key for the same stream and segment;
    /// required when an app encrypts HLS.
    /// </summary>
    public string? HlsKeySecret { get; set; }
}
