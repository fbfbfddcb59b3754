namespace Appliance.Transport.Tls;

/// <summary>
/// The certificate set in effect. Each handshake reads it once, so a reload changes what new
/// handshakes present while established connections keep the session they negotiated.
/// </summary>
public sealed class TlsCertificateStore(TlsCertificateSet initial)
{
    private volatile TlsCertificateSet _current = initial;

    public TlsCertificateSet Current => _current;

    public void Replace(TlsCertificateSet set) => _current = set;
}
