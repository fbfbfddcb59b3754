using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// The client side of TLS, for the node's outbound connections (pulls over https:// and rtmps://,
/// pushes over rtmps://, route probes): the same protocols and cipher suites as the listeners,
/// the certificate checked against a <see cref="TlsClientTrust"/>. A refused certificate or a
/// failed handshake is a <see cref="TlsHandshakeException"/> whose message says why
/// ("certificate refused: it does not name parent.example", "... pin mismatch ...").
/// </summary>
public static class TlsClient
{
    /// <summary>
    /// Runs the handshake over <paramref name="transport"/> (which the returned stream owns; it is
    /// disposed on failure too). <paramref name="host"/> is what the certificate must name and,
    /// when it is a DNS name, the SNI sent. <paramref name="ct"/> bounds the handshake.
    /// </summary>
    public static async Task<SslStream> AuthenticateAsync(Stream transport, string host, TlsClientTrust trust, bool http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(trust);
        string? refusal = null;
        var stream = new SslStream(transport, leaveInnerStreamOpen: false);
        var options = TlsPolicy.ClientOptions(host, trust.Roots, http, (_, certificate, chain, errors) =>
        {
            refusal = Refusal(host, trust, certificate as X509Certificate2, chain, errors, DateTime.UtcNow);
            return refusal is null;
        });
        try
        {
            await stream.AuthenticateAsClientAsync(options, ct).ConfigureAwait(false);
            return stream;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            var inner = ex.InnerException is { } cause && cause.Message != ex.Message ? $": {cause.Message}" : "";
            throw new TlsHandshakeException(refusal is not null ? $"tls: certificate refused: {refusal}"
                : ex is IOException { InnerException: null } ? "tls: the server closed the connection during the handshake"
                : $"tls: handshake failed: {ex.Message}{inner}", ex);
        }
    }

    /// <summary>Why the server's certificate is not accepted, or null when it is.</summary>
    internal static string? Refusal(string host, TlsClientTrust trust, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, DateTime nowUtc)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }
        var reasons = new List<string>();
        if (certificate.NotAfter.ToUniversalTime() < nowUtc)
        {
            reasons.Add($"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        else if (certificate.NotBefore.ToUniversalTime() > nowUtc)
        {
            reasons.Add($"it is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add($"it does not name {host}");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var status = X509ChainStatusFlags.NoError;
            foreach (var element in chain?.ChainStatus ?? [])
            {
                status |= element.Status;
            }
            // The validity period is reported above; what is left is the chain's own problem.
            status &= ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested);
            if (status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                reasons.Add($"it does not chain to {trust.RootsText} (issuer: {certificate.Issuer})");
            }
            else if (status != X509ChainStatusFlags.NoError)
            {
                reasons.Add($"its chain is not valid ({status})");
            }
        }
        if (reasons.Count == 0 && trust.PinSha256 is { } pin)
        {
            var actual = TlsClientTrust.SpkiSha256(certificate);
            if (!actual.AsSpan().SequenceEqual(pin))
            {
                reasons.Add($"pin mismatch: its public key has SHA-256 {Convert.ToBase64String(actual)}, pinSha256 is {Convert.ToBase64String(pin)}");
            }
        }
        return reasons.Count == 0 ? null : $"{string.Join("; ", reasons)} (subject {certificate.Subject})";
    }
}
