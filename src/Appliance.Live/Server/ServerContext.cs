using Appliance.Live.Config;
using Appliance.Live.Sessions;
using Appliance.Live.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Server;

/// <summary>What every session needs from the node: config, streams, sessions, logs.</summary>
public sealed class ServerContext
{
    private volatile ApplianceConfig _config;
    private volatile DomainTable _domains;

    public ServerContext(ApplianceConfig config, StreamRegistry streams, SessionTable sessions, ILoggerFactory loggers)
    {
        _config = config;
        _domains = new DomainTable(config);
        Streams = streams;
        Sessions = sessions;
        Loggers = loggers;
        Logger = loggers.CreateLogger("appliance");
        AccessLogger = loggers.CreateLogger("access");
    }

    /// <summary>The config new sessions use; existing sessions keep the one they started with.</summary>
    public ApplianceConfig Config => _config;

    public DomainTable Domains => _domains;

    public StreamRegistry Streams { get; }

    public SessionTable Sessions { get; }

    public ILoggerFactory Loggers { get; }

    public ILogger Logger { get; }

    public ILogger AccessLogger { get; }

    public void Apply(ApplianceConfig config)
    {
        _domains = new DomainTable(config);
        _config = config;
    }
}
