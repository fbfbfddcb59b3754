using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Tests.Support;

/// <summary>
/// A throwaway certificate authority and the certificates it signs, written as PEM files into a
/// temporary directory: what a test needs to run the node's TLS listeners against real clients.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates(string caName = "Appliance Test CA")
    {
        Directory = Path.Combine(Path.GetTempPath(), "appliance-tls-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));
        CaPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem() + "\n");
    }

    public string Directory { get; }

    /// <summary>The CA certificate (PEM), for clients' trust (curl --cacert, the node's tls.caFile).</summary>
    public string CaPath { get; }

    /// <summary>
    /// A server certificate for <paramref name="names"/> (DNS names; the first is the subject),
    /// written as &lt;file&gt;.crt and &lt;file&gt;.key; returns the two paths and the certificate.
    /// </summary>
    public (string Cert, string Key, X509Certificate2 Certificate) Issue(string file, string[] names,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        // Positive and without a leading zero byte, so every tool prints it the same way.
        serial[0] = (byte)((serial[0] & 0x7f) | 0x10);
        using var issued = request.Create(_ca, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        var certPath = Path.Combine(Directory, file + ".crt");
        var keyPath = Path.Combine(Directory, file + ".key");
        File.WriteAllText(certPath, issued.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certPath, keyPath, X509CertificateLoader.LoadCertificate(issued.RawData));
    }

    /// <summary>The CA as a certificate object, for a client's custom trust store.</summary>
    public X509Certificate2 Ca => _ca;

    public void Dispose()
    {
        _ca.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
