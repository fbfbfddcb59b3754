namespace Appliance.Transport.Tls;

/// <summary>A certificate or key file the node cannot use; the message names the file and why.</summary>
public sealed class TlsCertificateException(string message, Exception? inner = null) : IOException(message, inner);
