namespace Appliance.Streaming.Settings;

/// <summary>
/// AES-128 encryption of an app's HLS-TS segments (RFC 8216 METHOD=AES-128: each whole segment
/// CBC with PKCS7 padding), with keys derived from the node's security.hlsKeySecret.
/// </summary>
public sealed class HlsEncryptionConfig
{
    public bool Enabled { get; set; }

    /// <summary>A new key every this many segments: key index = segment number / this.</summary>
    public int RotateEverySegments { get; set; } = 10;
}
