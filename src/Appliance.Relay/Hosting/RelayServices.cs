using Appliance.Relay.Routing;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Streams;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Hosting;

/// <summary>What pulls and pushes need from the node they run in.</summary>
/// <param name="NodeId">This node's name in the CDN, for loop protection (appliance_via).</param>
/// <param name="Traffic">Where pull and push connections count their bytes.</param>
/// <param name="AccessLog">Where each finished upstream or push session writes its line.</param>
public sealed record RelayServices(string NodeId, StreamRegistry Streams, TrafficTotals Traffic, AccessLog AccessLog, ILoggerFactory Loggers)
{
    /// <summary>How pulls, pushes and probes open their connections.</summary>
    public TcpConnector Connector { get; init; } = TcpConnector.Default;

    /// <summary>What outbound TLS (pulls, pushes, probes) trusts: the node's CA file, replaced on reload.</summary>
    public OutboundTrust Trust { get; init; } = new();

    /// <summary>Who hears when pulls start, fail over and end; null: nobody.</summary>
    public IPullEvents? PullEvents { get; init; }

    /// <summary>What makes streams here that viewers ask for (a transcoding ladder), asked before a pull; null: nothing.</summary>
    public IStreamMaker? Maker { get; init; }
}
