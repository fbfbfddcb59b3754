using Appliance.Relay.Config;

namespace Appliance.Relay.Routing;

/// <summary>One app's upstream list, as <see cref="Routing.UpstreamRoutes.Update"/> takes it from the config.</summary>
public sealed record AppUpstreams(string Domain, string App, IReadOnlyList<UpstreamConfig> Upstreams);
