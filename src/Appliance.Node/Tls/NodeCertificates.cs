using Appliance.Node.Config;
using Appliance.Transport.Tls;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tls;

/// <summary>
/// The certificates of the node's TLS listeners: loaded from <c>tls.certificates</c> at start,
/// loaded again by a reload and swapped in whole only when every file is good, so a bad renewal
/// leaves the running certificates in place and new handshakes keep working.
/// </summary>
public sealed class NodeCertificates
{
    private readonly ILogger _logger;

    private NodeCertificates(TlsCertificateSet set, ILogger logger)
    {
        Store = new TlsCertificateStore(set);
        _logger = logger;
    }

    /// <summary>What the listeners' handshakes read.</summary>
    public TlsCertificateStore Store { get; }

    public IReadOnlyList<TlsCertificate> Current => Store.Current.Certificates;

    /// <summary>The certificates of a node with a TLS listener, or null when it has none (nothing is read then).</summary>
    public static NodeCertificates? Open(ApplianceConfig config, ILogger logger)
    {
        if (config.Https.Listen.Length == 0 && config.Rtmps.Listen.Length == 0 && !(config.Admin.Tls && config.Admin.Listen.Length > 0))
        {
            return null;
        }
        var certificates = new NodeCertificates(Read(config.Tls, DateTime.UtcNow, out var warnings), logger);
        certificates.Report(warnings);
        return certificates;
    }

    /// <summary>Reads the files of <paramref name="config"/>; throws <see cref="ConfigException"/> naming the key and the file when one is bad.</summary>
    public static TlsCertificateSet Read(TlsConfig config, DateTime nowUtc, out List<string> warnings)
    {
        warnings = [];
        if (config.Certificates.Count == 0)
        {
            // A reload may drop https.listen from the file, but the listener runs until a restart.
            throw new ConfigException("$.tls.certificates: the running TLS listeners need at least one certificate");
        }
        var loaded = new List<TlsCertificate>();
        for (var i = 0; i < config.Certificates.Count; i++)
        {
            var entry = config.Certificates[i];
            try
            {
                loaded.Add(TlsCertificateLoader.Load(entry.Names, entry.Cert, entry.Key, nowUtc, out var warning));
                if (warning is not null)
                {
                    warnings.Add(warning);
                }
            }
            catch (TlsCertificateException ex)
            {
                throw new ConfigException($"$.tls.certificates[{i}]: {ex.Message}");
            }
        }
        return new TlsCertificateSet(loaded);
    }

    /// <summary>New handshakes present <paramref name="set"/> from now on; open connections keep theirs.</summary>
    public void Replace(TlsCertificateSet set, List<string> warnings)
    {
        Store.Replace(set);
        Report(warnings);
    }

    private void Report(List<string> warnings)
    {
        foreach (var certificate in Store.Current.Certificates)
        {
            TlsLog.Loaded(_logger, certificate.Label, certificate.CertPath, certificate.NotAfterUtc);
        }
        foreach (var warning in warnings)
        {
            TlsLog.Warning(_logger, warning);
        }
    }
}
