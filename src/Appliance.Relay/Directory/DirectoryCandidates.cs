using System.Collections.Concurrent;
using Appliance.Relay.Routing;

namespace Appliance.Relay.Directory;

/// <summary>
/// Route candidates for the URLs the directory names that are not among an app's configured
/// upstreams: one per URL, kept so its health (failures, connect time, down state) carries from
/// one pull to the next like a configured candidate's. Bounded, since the URLs come from Redis.
/// </summary>
internal sealed class DirectoryCandidates
{
    public const int MaxCandidates = 256;

    private readonly ConcurrentDictionary<string, RouteCandidate> _byUrl = new(StringComparer.Ordinal);
    private readonly HealthOptions _healthOptions;

    public DirectoryCandidates(HealthOptions? healthOptions = null) => _healthOptions = healthOptions ?? HealthOptions.Default;

    public RouteCandidate For(DirectoryEntry entry)
    {
        var id = entry.Url.ToString();
        if (_byUrl.TryGetValue(id, out var known))
        {
            return known;
        }
        if (_byUrl.Count >= MaxCandidates)
        {
            // A CDN has far fewer nodes than this; more means garbage in Redis: forget it all rather than grow.
            _byUrl.Clear();
        }
        return _byUrl.GetOrAdd(id, static (_, state) => new RouteCandidate(state.Url, name: $"directory: {state.Node}", health: new CandidateHealth(state.Options)), (entry.Url, entry.Node, Options: _healthOptions));
    }
}
