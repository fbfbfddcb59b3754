using System.Text.Json.Serialization;

namespace Appliance.Relay.Config;

/// <summary>
/// One place every stream published in an app is forwarded to. In the config it is either the URL
/// alone (a string) or an object with the URL and, for rtmps://, the CA file and pin that the
/// target's certificate is checked against, as an upstream candidate carries them.
/// </summary>
[JsonConverter(typeof(PushTargetConfigJsonConverter))]
public sealed class PushTargetConfig
{
    /// <summary><c>rtmp://host[:port]/app[?query]</c>, or <c>rtmps://</c> over TLS.</summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// For rtmps:// only: absolute path of a PEM file of the CAs the target's certificate must chain
    /// to, instead of <c>tls.caFile</c> (or the system store when that is empty).
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// For rtmps:// only: base64 of the SHA-256 of the target certificate's public key
    /// (SubjectPublicKeyInfo), optionally "sha256//" first. Checked on top of chain, name and validity.
    /// </summary>
    public string? PinSha256 { get; set; }

    public static implicit operator PushTargetConfig(string url) => new() { Url = url };
}
