namespace Appliance.Transport.Tls;

/// <summary>A server-side handshake that did not complete: garbage, a timeout, a peer that left, a protocol refused.</summary>
public sealed class TlsHandshakeException(string reason, Exception? inner = null) : IOException(reason, inner);
