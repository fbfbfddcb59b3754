using Appliance.Auth.Config;

namespace Appliance.Auth;

/// <summary>
/// Each app's access policy, built once per config (keys, CIDR sets, checkers) so a request only
/// looks it up by the app's "auth" section. A reload builds a new table; sessions that started
/// earlier keep theirs.
/// </summary>
public sealed class AppPolicies
{
    // One client for every callback check: sockets are pooled and reused across requests.
    private static readonly HttpClient CallbackClient = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    private readonly Dictionary<AuthConfig, AccessPolicy> _policies = new(ReferenceEqualityComparer.Instance);

    public AppPolicies(IEnumerable<AuthConfig> apps, TimeProvider time)
    {
        foreach (var auth in apps)
        {
            _policies[auth] = AccessPolicy.Create(auth, time, CallbackClient);
        }
    }

    public AccessPolicy For(AuthConfig app) => _policies.TryGetValue(app, out var policy) ? policy : AccessPolicy.Open;
}
