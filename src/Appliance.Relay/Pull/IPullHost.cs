using Appliance.Relay.Routing;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Streams;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;

namespace Appliance.Relay.Pull;

/// <summary>What a pull needs from the relay that runs it: routes, the directory, and where to count and log.</summary>
internal interface IPullHost
{
    string NodeId { get; }

    UpstreamRoutes Routes { get; }

    /// <summary>How pulls open their connections to parents.</summary>
    TcpConnector Connector { get; }

    /// <summary>What TLS candidates without a trust of their own (the directory's) are checked against.</summary>
    OutboundTrust Trust { get; }

    /// <summary>Where pulls count their bytes (listener "upstream").</summary>
    TrafficTotals Traffic { get; }

    /// <summary>Where pulls write the access line of each upstream session that fed a stream.</summary>
    AccessLog AccessLog { get; }

    /// <summary>Who hears when pulls start, fail over and end; null: nobody.</summary>
    Hosting.IPullEvents? PullEvents { get; }

    /// <summary>The candidate the stream directory names for the stream, or null.</summary>
    ValueTask<RouteCandidate?> FindInDirectoryAsync(StreamKey key, IReadOnlyList<string> via);

    /// <summary>The pull has stopped: the next viewer starts a new one.</summary>
    void OnPullEnded(UpstreamPull pull);
}
