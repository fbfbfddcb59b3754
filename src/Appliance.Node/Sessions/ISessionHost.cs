using Appliance.Node.Webhooks;
using Appliance.Streaming.Logging;
using Appliance.Transport.Accounting;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Sessions;

/// <summary>What a session's life touches on the node: the table that lists it while it runs, the totals and access log it ends in, and the node's log.</summary>
public interface ISessionHost
{
    SessionTable Sessions { get; }

    TrafficTotals Traffic { get; }

    AccessLog AccessLog { get; }

    ILogger Logger { get; }

    /// <summary>Where the session's publish/play and their ends are told; null: nowhere (a host without webhooks).</summary>
    WebhookHub? Webhooks => null;
}
