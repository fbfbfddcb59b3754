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
    public static RelayServices Services(ServerContext context) =>
        new(context.NodeId, context.Streams, context.Traffic, context.AccessLog, context.Loggers);

    public static RelayManager For(ServerContext context) =>
        new(Services(context), RelayApps.Of(context.Config), context.Config.Directory);
}
