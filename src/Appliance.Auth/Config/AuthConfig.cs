namespace Appliance.Auth.Config;

/// <summary>
/// Who may publish and play one app (see specs/AUTH.md). Everything defaults to off, so an app
/// without an "auth" object is open, as the embedded default config promises.
/// </summary>
public sealed class AuthConfig
{
    public AuthRule Publish { get; set; } = new();

    public AuthRule Play { get; set; } = new();

    /// <summary>Hotlink protection by the Referer header; applies to play only (encoders send none).</summary>
    public RefererAccessConfig Referer { get; set; } = new();

    /// <summary>Client networks allowed or denied; applies to publish and play.</summary>
    public IpAccessConfig Ip { get; set; } = new();

    /// <summary>
    /// CIDRs of proxies whose X-Forwarded-For is believed. A client anywhere else could write any
    /// address into that header, so it is ignored unless the socket peer is listed here.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
