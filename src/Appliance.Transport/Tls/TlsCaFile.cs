using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// Reads a PEM file of CA certificates that outbound TLS connections may chain to instead of the
/// system store. Refuses a file that would make every connection fail: missing, unreadable, not
/// PEM, or holding no certificate.
/// </summary>
public static class TlsCaFile
{
    public static X509Certificate2Collection Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            throw new TlsCertificateException($"{path}: cannot read the CA file: {reason}", ex);
        }
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new TlsCertificateException($"{path}: not a PEM file of certificates ({ex.Message})", ex);
        }
        if (roots.Count == 0)
        {
            throw new TlsCertificateException($"{path}: no BEGIN CERTIFICATE block in the file");
        }
        return roots;
    }
}
