namespace Appliance.Transport.Tls;

/// <summary>What one TLS listener needs for its handshakes: whose certificates, which ALPN, how long a handshake may take.</summary>
public sealed class TlsListenerOptions(TlsCertificateStore certificates, bool http, TimeSpan handshakeTimeout)
{
    public TlsCertificateStore Certificates { get; } = certificates;

    /// <summary>Announce ALPN http/1.1 (HTTPS); RTMPS has no registered ALPN name and announces none.</summary>
    public bool Http { get; } = http;

    /// <summary>From accept until the handshake is done; a ClientHello that never finishes ends here.</summary>
    public TimeSpan HandshakeTimeout { get; } = handshakeTimeout;

    /// <summary>Called once per connection whose handshake failed: the peer and why, for one log line.</summary>
    public Action<string, string>? HandshakeFailed { get; init; }
}
