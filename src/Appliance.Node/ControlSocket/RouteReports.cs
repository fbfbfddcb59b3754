using Appliance.Control.Contract;
using Appliance.Relay.Routing;

namespace Appliance.Node.ControlSocket;

/// <summary>The routes table as the control protocol shows it.</summary>
internal static class RouteReports
{
    public static RouteReport From(UpstreamRouteInfo info) => new()
    {
        Domain = info.Domain,
        App = info.App,
        Url = info.Url,
        Priority = info.Priority,
        Weight = info.Weight,
        Down = info.Health.Down,
        RttMs = info.Health.RttMs,
        ConnectMs = info.Health.ConnectMs,
        ThroughputBitsPerSecond = info.Health.ThroughputBytesPerSecond * 8,
        CarryRatio = info.Health.CarryRatio is { } carry ? Math.Round(carry, 3) : null,
        LossPercent = info.Health.LinkLossRatio is { } loss ? Math.Round(loss * 100, 2) : null,
        RetransmitPercent = info.Health.LinkRetransmitRatio is { } retransmits ? Math.Round(retransmits * 100, 2) : null,
        Stalls = info.Health.Stalls,
        Failures = info.Health.ConsecutiveFailures,
        LastError = info.Health.LastError,
        Cost = info.Health.Cost,
        Streams = [.. info.Streams],
        Directory = info.FromDirectory,
    };
}
