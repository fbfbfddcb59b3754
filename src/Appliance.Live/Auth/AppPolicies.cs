using Appliance.Live.Config;

namespace Appliance.Live.Auth;

/// <summary>
/// Each app's access policy, built once per config (keys, CIDR sets, checkers) so a request only
/// looks it up. A reload builds a new table; sessions that started earlier keep theirs.
/// </summary>
public sealed class AppPolicies
{
    // One client for every callback check: sockets are pooled and reused across requests.
    private static readonly HttpClient CallbackClient = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    private readonly Dictionary<AppConfig, AccessPolicy> _policies = new(ReferenceEqualityComparer.Instance);

    public AppPolicies(ApplianceConfig config, TimeProvider time)
    {
        foreach (var domain in config.Domains)
        {
            foreach (var app in domain.Apps)
            {
                _policies[app] = AccessPolicy.Create(app.Auth, time, CallbackClient);
            }
        }
    }

    public AccessPolicy For(AppConfig app) => _policies.TryGetValue(app, out var policy) ? policy : AccessPolicy.Open;
}
