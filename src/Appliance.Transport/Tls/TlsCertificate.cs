using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// One certificate the node presents: its leaf (with the private key), the chain sent with it,
/// the host names it is chosen for, and the files it came from (named in log lines and status).
/// </summary>
public sealed class TlsCertificate
{
    internal TlsCertificate(IReadOnlyList<string> names, string certPath, string keyPath, X509Certificate2 leaf, SslStreamCertificateContext context)
    {
        Names = names;
        CertPath = certPath;
        KeyPath = keyPath;
        Leaf = leaf;
        Context = context;
        // One options object per certificate and protocol, shared by every handshake that picks it.
        HttpOptions = TlsPolicy.ServerOptions(context, http: true);
        PlainOptions = TlsPolicy.ServerOptions(context, http: false);
    }

    /// <summary>Host names (exact, or "*.example.com" for one label) this certificate is chosen for.</summary>
    public IReadOnlyList<string> Names { get; }

    public string CertPath { get; }

    public string KeyPath { get; }

    public X509Certificate2 Leaf { get; }

    /// <summary>The first name, or the certificate's subject when none is configured: the label in status and metrics.</summary>
    public string Label => Names.Count > 0 ? Names[0] : Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    public DateTime NotAfterUtc => Leaf.NotAfter.ToUniversalTime();

    internal SslStreamCertificateContext Context { get; }

    internal SslServerAuthenticationOptions HttpOptions { get; }

    internal SslServerAuthenticationOptions PlainOptions { get; }

    public bool Matches(string serverName)
    {
        foreach (var name in Names)
        {
            if (string.Equals(name, serverName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            // "*.example.com" covers exactly one label in front: a.example.com, not a.b.example.com.
            if (name.StartsWith("*.", StringComparison.Ordinal) && serverName.Length > name.Length - 1
                && serverName.EndsWith(name.AsSpan(1), StringComparison.OrdinalIgnoreCase)
                && serverName.AsSpan(0, serverName.Length - name.Length + 1).IndexOf('.') < 0)
            {
                return true;
            }
        }
        return false;
    }
}
