using Appliance.Live.Auth;
using Appliance.Live.Config;
using Appliance.Live.Limits;
using Appliance.Live.Sessions;
using Appliance.Live.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Server;

/// <summary>What every session needs from the node: config, streams, sessions, logs.</summary>
public sealed class ServerContext
{
    private volatile ApplianceConfig _config;
    private volatile DomainTable _domains;
    private volatile AppPolicies _policies;

    public ServerContext(ApplianceConfig config, StreamRegistry streams, SessionTable sessions, ILoggerFactory loggers)
    {
        _config = config;
        _domains = new DomainTable(config);
        _policies = new AppPolicies(config, TimeProvider.System);
        SessionTokens = new HlsSessionToken(SecretOf(config), TimeProvider.System);
        Streams = streams;
        Sessions = sessions;
        Loggers = loggers;
        Logger = loggers.CreateLogger("appliance");
        AccessLogger = loggers.CreateLogger("access");
    }

    /// <summary>The config new sessions use; existing sessions keep the one they started with.</summary>
    public ApplianceConfig Config => _config;

    public DomainTable Domains => _domains;

    /// <summary>Each app's access policy under the current config.</summary>
    public AppPolicies Policies => _policies;

    public AuthStats Auth { get; } = new();

    public ConnectionLimiter Connections { get; } = new();

    public RequestRateLimiter RequestRates { get; } = new();

    public HlsSessionToken SessionTokens { get; }

    public StreamRegistry Streams { get; }

    public SessionTable Sessions { get; }

    public ILoggerFactory Loggers { get; }

    public ILogger Logger { get; }

    public ILogger AccessLogger { get; }

    public void Apply(ApplianceConfig config)
    {
        _policies = new AppPolicies(config, TimeProvider.System);
        _domains = new DomainTable(config);
        _config = config;
    }

    private static byte[]? SecretOf(ApplianceConfig config) =>
        config.Security.SessionSecret is { } hex ? Convert.FromHexString(hex) : null;
}
