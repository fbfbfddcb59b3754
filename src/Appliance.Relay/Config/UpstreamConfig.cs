namespace Appliance.Relay.Config;

/// <summary>
/// One place an app's streams can be pulled from: a parent node or the customer's origin. An app
/// lists several; the route selector picks among them per stream and fails over between them.
/// </summary>
public sealed class UpstreamConfig
{
    /// <summary>
    /// <c>rtmp://host[:port][/app]</c> (the stream name is appended; no app means the local app's
    /// name) or an HTTP-FLV template <c>http://host[:port]/path</c> containing <c>{stream}</c> and
    /// optionally <c>{app}</c>; rtmps:// and https:// over TLS. Also the candidate's identity: nodes that list the same URL hash
    /// streams onto it alike, and its measured health survives a reload while it is unchanged.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>Share of streams among equally good candidates of one priority class (relative to the others).</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Lower is preferred: a class is used before any higher one while it has a healthy candidate (e.g. 0 private line, 1 public internet).</summary>
    public int Priority { get; set; }

    /// <summary>
    /// An <c>http://host[:port]/path</c> answering 2xx while the candidate is healthy. Without it,
    /// HTTP candidates are probed at <c>/api/health</c> on their own port and RTMP candidates by a TCP connect alone.
    /// </summary>
    public string? HealthUrl { get; set; }

    /// <summary>A label for logs and the routes table; the URL is shown when absent.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// For https:// and rtmps:// only: absolute path of a PEM file of the CAs this candidate's
    /// certificate must chain to, instead of <c>tls.caFile</c> (or the system store when that is empty).
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// For https:// and rtmps:// only: base64 of the SHA-256 of the certificate's public key
    /// (SubjectPublicKeyInfo), optionally "sha256//" first as curl writes it. Checked on top of the
    /// chain, name and validity: a certificate with another key is refused.
    /// </summary>
    public string? PinSha256 { get; set; }
}
