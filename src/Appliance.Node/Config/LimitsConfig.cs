namespace Appliance.Node.Config;

/// <summary>Node-wide limits; 0 means no limit.</summary>
public sealed class LimitsConfig
{
    /// <summary>Open connections of every protocol together; past it, new ones are refused (HTTP gets 503).</summary>
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>Open connections from one client address.</summary>
    public int MaxConnectionsPerIp { get; set; }

    /// <summary>HTTP requests per second from one client address (a burst of twice as many is allowed); past it, 429.</summary>
    public int HttpRequestsPerSecondPerIp { get; set; }

    /// <summary>
    /// HLS sessions (players, each known by address and User-Agent) the node keeps at once; past
    /// it, new HLS players get 503 and known ones go on. Bounds the memory a flood of made-up
    /// User-Agents can take. (maxConnectionsPerIp bounds those of one address too.)
    /// </summary>
    public int MaxHlsSessions { get; set; } = 100_000;

    /// <summary>
    /// CMAF requests one client address may have held at once, over every stream (LL-HLS blocking
    /// reloads, preload-hinted parts, LL-DASH chunked segments); past it, 503 with Retry-After. A
    /// player holds a few; the bound keeps one address from taking a stream's cmaf.maxHeldRequests.
    /// </summary>
    public int MaxHeldRequestsPerIp { get; set; } = 100;
}
