namespace Appliance.Auth.Config;

/// <summary>Referer hotlink protection: an allow list or a deny list of host patterns, never both.</summary>
public sealed class RefererAccessConfig
{
    /// <summary>"example.com" (and its subdomains) or "*.example.com" (subdomains only).</summary>
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];

    /// <summary>Whether a request without a Referer passes; RTMP clients and many apps send none.</summary>
    public bool AllowEmpty { get; set; } = true;
}

/// <summary>Client networks: an allow list or a deny list of CIDRs (IPv4 or IPv6), never both.</summary>
public sealed class IpAccessConfig
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];
}
