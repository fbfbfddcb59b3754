namespace Appliance.Relay.Config;

/// <summary>
/// The optional stream directory shared by the nodes of a CDN on Redis: a node with a stream
/// published here registers where it can be pulled from, and a node that needs a stream looks it
/// up there before asking its configured upstreams.
/// </summary>
public sealed class DirectoryConfig
{
    /// <summary>The Redis server as host:port; empty turns the directory off.</summary>
    public string Redis { get; set; } = "";

    /// <summary>
    /// Where other nodes pull this node's streams from, in upstream URL syntax:
    /// <c>rtmp://host[:port]</c> (each stream's own app is appended; <c>/{app}</c> may be written
    /// out) or an HTTP-FLV template <c>http://host[:port]/{app}/{stream}.flv</c>. Empty: this node
    /// only looks streams up and registers none (an edge).
    /// </summary>
    public string Advertise { get; set; } = "";

    /// <summary>How long an entry outlives the last refresh; a node that dies vanishes from the directory after this.</summary>
    public int TtlMs { get; set; } = 15_000;

    /// <summary>The longest a lookup may delay a pull; a slower or absent Redis counts as "not found".</summary>
    public int LookupTimeoutMs { get; set; } = 200;

    /// <summary>Put before every key, so several CDNs (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "appliance:";
}
