using Appliance.Relay.Hosting;
using Appliance.Relay;

namespace Appliance.Node.Config;

/// <summary>The apps of a config as the relay takes them.</summary>
public static class RelayApps
{
    public static IReadOnlyList<RelayApp> Of(ApplianceConfig config) =>
        [.. config.Domains.SelectMany(domain => domain.Apps.Select(app => new RelayApp(domain.Name, app.Name, app)))];
}
