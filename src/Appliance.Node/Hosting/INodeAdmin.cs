using Appliance.Control.Contract;

namespace Appliance.Node.Hosting;

/// <summary>
/// What the admin endpoints (/api/status, /metrics, /api/routes) and the control socket may ask of
/// the node they run in. The server implements it and hands it to them; they never see the server.
/// </summary>
public interface INodeAdmin
{
    /// <summary>The node's sessions, streams, config and logs.</summary>
    ServerContext Context { get; }

    /// <summary>The file `reload` reads again; null for the embedded default.</summary>
    string? ConfigPath { get; }

    /// <summary>Each open listener by its config key, with its address.</summary>
    IReadOnlyList<(string Name, string Address)> Listeners { get; }

    /// <summary>Config keys changed by a reload that wait for a restart.</summary>
    IReadOnlyList<string> PendingRestart { get; }

    /// <summary>Upstream candidates and their health (empty until an app pulls).</summary>
    List<RouteReport> Routes();

    /// <summary>Reads the config file again; a bad file is refused and the running config stays.</summary>
    ControlReply Reload();

    /// <summary>Stops accepting and lets viewers finish for up to <paramref name="timeout"/>.</summary>
    void RequestDrain(TimeSpan timeout);
}
