using Appliance.Relay.Config;
using Appliance.Relay.Urls;
using Appliance.Transport.Tls;

namespace Appliance.Relay.Routing;

/// <summary>
/// What the node's outbound TLS connections trust: the node's CAs (<c>tls.caFile</c>, or the
/// system store), replaced on reload, and per upstream candidate or push target its own CA file and pin on top.
/// </summary>
public sealed class OutboundTrust
{
    private volatile TlsClientTrust _node = TlsClientTrust.SystemStore;

    /// <summary>For candidates the stream directory names, and candidates and push targets without a CA file or pin of their own.</summary>
    public TlsClientTrust Node => _node;

    /// <summary>
    /// Reads the node's CA file ("" for the system store). Throws <see cref="TlsCertificateException"/>
    /// naming the file when it cannot be used; nothing changes then.
    /// </summary>
    public static TlsClientTrust Load(string caFile) =>
        caFile.Length == 0 ? TlsClientTrust.SystemStore : new TlsClientTrust(TlsCaFile.Load(caFile), caFile, null);

    public void Replace(TlsClientTrust node) => _node = node ?? throw new ArgumentNullException(nameof(node));

    /// <summary>
    /// The trust of one candidate: null for a plain URL; its own CA file (read now) or the node's
    /// CAs, with its pin. Throws <see cref="TlsCertificateException"/> when its CA file went bad
    /// since the config was validated.
    /// </summary>
    public TlsClientTrust? For(UpstreamUrl url, UpstreamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return For(url, config.CaFile, config.PinSha256);
    }

    /// <summary>The trust of one push target: as <see cref="For(UpstreamUrl, UpstreamConfig)"/>, from its own caFile and pinSha256.</summary>
    public TlsClientTrust? For(UpstreamUrl url, PushTargetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return For(url, config.CaFile, config.PinSha256);
    }

    private TlsClientTrust? For(UpstreamUrl url, string? caFile, string? pinSha256)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsTls)
        {
            return null;
        }
        var roots = caFile is not null ? new TlsClientTrust(TlsCaFile.Load(caFile), caFile, null) : _node;
        return pinSha256 is null ? roots : roots.WithPin(TlsClientTrust.ParsePin(pinSha256));
    }
}
