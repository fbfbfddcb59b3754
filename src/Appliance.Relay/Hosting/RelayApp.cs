using Appliance.Relay.Config;

namespace Appliance.Relay.Hosting;

/// <summary>One app of the running config as the relay sees it: where it is, and its relay keys.</summary>
public sealed record RelayApp(string Domain, string Name, RelayAppConfig Config);
