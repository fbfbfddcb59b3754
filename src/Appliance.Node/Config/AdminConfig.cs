namespace Appliance.Node.Config;

/// <summary>The admin HTTP listener: Prometheus /metrics, the JSON status endpoints and the command API (/api/v1), for operators only.</summary>
public sealed class AdminConfig
{
    /// <summary>host:port; empty disables it. Keep it on loopback or a management network.</summary>
    public string Listen { get; set; } = "127.0.0.1:9135";

    /// <summary>
    /// Whether the admin listener speaks HTTPS (with the certificates of <c>tls.certificates</c>,
    /// chosen by SNI like the HTTPS listener's) instead of plain HTTP. Off by default.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>Streams that get their own metric labels (the most watched); the rest are summed under stream="_other".</summary>
    public int MaxStreamLabels { get; set; } = 100;

    /// <summary>
    /// The bearer token the command API (/api/v1/...) asks for; empty turns that API off. Read at
    /// each request, so a reload rotates it for open connections too.
    /// </summary>
    public string Token { get; set; } = "";
}
