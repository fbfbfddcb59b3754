using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// What every TLS connection of the node accepts: TLS 1.2 and 1.3 only, AEAD cipher suites with
/// forward secrecy, no renegotiation, no client certificates; ALPN http/1.1 on HTTPS listeners.
/// </summary>
internal static class TlsPolicy
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private static readonly CipherSuitesPolicy? Ciphers = OperatingSystem.IsLinux()
        ? new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ])
        : null;

    public static SslServerAuthenticationOptions ServerOptions(SslStreamCertificateContext context, bool http)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = false,
            // A client-initiated renegotiation is refused (OpenSSL answers it with an alert).
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = http ? [SslApplicationProtocol.Http11] : null,
        };
        if (OperatingSystem.IsLinux())
        {
            options.CipherSuitesPolicy = Ciphers;
        }
        return options;
    }

    /// <summary>
    /// An outbound handshake's options: the chain is built to <paramref name="roots"/> when given
    /// (only to them: the system store is not consulted), else to the system store; revocation is
    /// not checked (no fetching of CRLs or OCSP on the pull path).
    /// </summary>
    public static SslClientAuthenticationOptions ClientOptions(string host, X509Certificate2Collection? roots, bool http, RemoteCertificateValidationCallback validate)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = Protocols,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = http ? [SslApplicationProtocol.Http11] : null,
            RemoteCertificateValidationCallback = validate,
        };
        if (roots is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            options.CertificateChainPolicy = policy;
        }
        if (OperatingSystem.IsLinux())
        {
            options.CipherSuitesPolicy = Ciphers;
        }
        return options;
    }
}
