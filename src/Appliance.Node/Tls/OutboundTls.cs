using Appliance.Node.Config;
using Appliance.Relay.Routing;
using Appliance.Transport.Tls;

namespace Appliance.Node.Tls;

/// <summary>What the node's outbound TLS (pulls, pushes, probes over https:// and rtmps://) trusts, from <c>tls.caFile</c>.</summary>
public static class OutboundTls
{
    /// <summary>The trust of a node starting with <paramref name="config"/>.</summary>
    public static OutboundTrust Open(ApplianceConfig config)
    {
        var trust = new OutboundTrust();
        trust.Replace(Read(config));
        return trust;
    }

    /// <summary>Reads tls.caFile (the system store when empty); throws <see cref="ConfigException"/> naming the key and the file when it is bad.</summary>
    public static TlsClientTrust Read(ApplianceConfig config)
    {
        try
        {
            return OutboundTrust.Load(config.Tls.CaFile);
        }
        catch (TlsCertificateException ex)
        {
            throw new ConfigException($"$.tls.caFile: {ex.Message}");
        }
    }
}
