namespace Appliance.Transport.Tls;

/// <summary>
/// The certificates a listener presents, chosen by the name the client asks for (SNI). The first
/// is the default: it answers clients that send no name or a name no certificate lists. Immutable:
/// a reload builds a new set and swaps it in whole.
/// </summary>
public sealed class TlsCertificateSet
{
    public TlsCertificateSet(IReadOnlyList<TlsCertificate> certificates)
    {
        if (certificates.Count == 0)
        {
            throw new ArgumentException("a certificate set needs at least one certificate", nameof(certificates));
        }
        Certificates = certificates;
    }

    public IReadOnlyList<TlsCertificate> Certificates { get; }

    public TlsCertificate Default => Certificates[0];

    public TlsCertificate Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            // Exact names win over wildcards, whatever the order in the config.
            foreach (var certificate in Certificates)
            {
                foreach (var name in certificate.Names)
                {
                    if (string.Equals(name, serverName, StringComparison.OrdinalIgnoreCase))
                    {
                        return certificate;
                    }
                }
            }
            foreach (var certificate in Certificates)
            {
                if (certificate.Matches(serverName))
                {
                    return certificate;
                }
            }
        }
        return Default;
    }
}
