using Appliance.Control.Contract;
using Appliance.Node.Hosting;

namespace Appliance.Node.Tests.Support;

/// <summary>The admin side of a <see cref="TestServer"/>: its real context, with a reload and routes the test sets.</summary>
internal sealed class TestNodeAdmin(TestServer server) : INodeAdmin
{
    public ServerContext Context => server.Context;

    public string? ConfigPath => null;

    public IReadOnlyList<(string Name, string Address)> Listeners => [];

    public IReadOnlyList<string> PendingRestart => [];

    /// <summary>What <see cref="Reload"/> answers.</summary>
    public ControlReply ReloadReply { get; set; } = ControlReply.Success("reloaded /etc/appliance/appliance.json");

    public int Reloads { get; private set; }

    public List<RouteReport> RouteList { get; } = [];

    public List<RouteReport> Routes() => [.. RouteList];

    public ControlReply Reload()
    {
        Reloads++;
        return ReloadReply;
    }

    public void RequestDrain(TimeSpan timeout) => throw new InvalidOperationException("no test drains through the admin side");
}
