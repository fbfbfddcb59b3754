using Appliance.Relay.Urls;

namespace Appliance.Relay.Routing;

/// <summary>
/// One upstream an app's streams can be pulled from, with its static preferences and its live
/// health. The identity is the canonical URL, so every node listing the same URL hashes streams
/// onto it alike.
/// </summary>
public sealed class RouteCandidate
{
    public RouteCandidate(UpstreamUrl url, int weight = 1, int priority = 0, CandidateHealth? health = null, HealthUrl? healthUrl = null, string? name = null,
        Transport.Tls.TlsClientTrust? tls = null)
    {
        Tls = tls;
        Url = url;
        Weight = weight;
        Priority = priority;
        Health = health ?? new CandidateHealth();
        HealthUrl = healthUrl ?? HealthUrl.DefaultFor(url);
        Id = url.ToString();
        Name = string.IsNullOrEmpty(name) ? Id : name;
        IdHash = StableHash.Mix(StableHash.Fnv1a64(Id));
    }

    /// <summary>The canonical URL: the identity for hashing and for keeping health across reloads.</summary>
    public string Id { get; }

    public string Name { get; }

    public UpstreamUrl Url { get; }

    /// <summary>Relative share of streams among equally good candidates of the class; 0 or less takes streams only when no other is as good.</summary>
    public int Weight { get; }

    /// <summary>Lower is preferred.</summary>
    public int Priority { get; }

    public CandidateHealth Health { get; }

    /// <summary>Where the prober asks for health; null probes by TCP connect alone.</summary>
    public HealthUrl? HealthUrl { get; }

    /// <summary>What its certificate is checked against (https://, rtmps://); null: the node's trust (<see cref="OutboundTrust.Node"/>).</summary>
    public Transport.Tls.TlsClientTrust? Tls { get; }

    internal ulong IdHash { get; }

    public override string ToString() => Name == Id ? Id : $"{Name} ({Id})";
}
