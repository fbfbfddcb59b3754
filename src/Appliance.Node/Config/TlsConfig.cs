namespace Appliance.Node.Config;

/// <summary>The HTTPS listener: every HTTP output (FLV, TS, HLS, CMAF/DASH, the player page) over TLS.</summary>
public sealed class HttpsConfig
{
    /// <summary>host:port; empty (the default) opens no HTTPS listener. Needs <c>tls.certificates</c>.</summary>
    public string Listen { get; set; } = "";
}

/// <summary>The RTMPS listener: RTMP publish and play over TLS.</summary>
public sealed class RtmpsConfig
{
    /// <summary>host:port; empty (the default) opens no RTMPS listener. Needs <c>tls.certificates</c>.</summary>
    public string Listen { get; set; } = "";
}

/// <summary>Certificates the TLS listeners present, and what outbound TLS (tiers) trusts.</summary>
public sealed class TlsConfig
{
    /// <summary>Chosen by the name the client asks for (SNI); the first also answers unknown names.</summary>
    public List<TlsCertificateConfig> Certificates { get; set; } = [];

    /// <summary>
    /// Absolute path of a PEM file of the CAs that https:// and rtmps:// upstreams' and push
    /// targets' certificates must chain to, instead of the system store; "" (the default) = the
    /// system store. Read at start and on reload. An upstream's own caFile takes its place.
    /// </summary>
    public string CaFile { get; set; } = "";
}

public sealed class TlsCertificateConfig
{
    /// <summary>Host names this certificate is presented for: exact, or "*.example.com"; empty only makes sense for the first (the default).</summary>
    public List<string> Names { get; set; } = [];

    /// <summary>Absolute path of the PEM certificate, the leaf first and any intermediates after it.</summary>
    public string Cert { get; set; } = "";

    /// <summary>Absolute path of the PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1).</summary>
    public string Key { get; set; } = "";
}
