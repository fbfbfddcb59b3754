using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// Reads a certificate chain and its private key from PEM files. The first certificate of the
/// chain file is the leaf; any after it are intermediates sent with it. Refuses what would fail
/// every handshake (a missing or unreadable file, a key that is not the leaf's, a certificate not
/// valid yet); an expired certificate still loads, with a warning, so a late renewal does not take
/// the listener down.
/// </summary>
public static class TlsCertificateLoader
{
    /// <param name="warning">Set when the certificate loads but an operator should act (expired).</param>
    public static TlsCertificate Load(IReadOnlyList<string> names, string certPath, string keyPath, DateTime nowUtc, out string? warning)
    {
        warning = null;
        var chainPem = ReadText(certPath, "certificate");
        var keyPem = ReadText(keyPath, "key");
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(chainPem);
        }
        catch (CryptographicException ex)
        {
            throw new TlsCertificateException($"{certPath}: not a PEM certificate ({ex.Message})", ex);
        }
        if (chain.Count == 0)
        {
            throw new TlsCertificateException($"{certPath}: no BEGIN CERTIFICATE block in the file");
        }
        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new TlsCertificateException($"{keyPath}: no BEGIN PRIVATE KEY block in the file");
        }
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(chainPem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new TlsCertificateException($"{keyPath}: not the private key of the certificate in {certPath}", ex);
        }
        if (leaf.NotBefore.ToUniversalTime() > nowUtc)
        {
            throw new TlsCertificateException($"{certPath}: not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        if (leaf.NotAfter.ToUniversalTime() < nowUtc)
        {
            warning = $"{certPath}: expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC; clients will refuse it";
        }
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }
        // offline: the chain is what the file says; no fetching of missing intermediates at startup.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new TlsCertificate(names, certPath, keyPath, leaf, context);
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            throw new TlsCertificateException($"{path}: cannot read the {what}: {reason}", ex);
        }
    }
}
