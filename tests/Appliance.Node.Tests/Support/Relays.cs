using Appliance.Node.Hosting;
using Appliance.Relay.Hosting;
using Appliance.Node.Config;
using Appliance.Node.Server;
using Appliance.Relay;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>A relay wired to a test node's context, as the server wires its own.</summary>
internal static class Relays
{
    public static RelayServices Services(TestServer server) =>
        new(server.Context.NodeId, server.Streams, server.Context.Traffic, server.Context.AccessLog, server.Loggers);

    public static RelayManager For(TestServer server) =>
        new(Services(server), RelayApps.Of(server.Config), server.Config.Directory);
}
