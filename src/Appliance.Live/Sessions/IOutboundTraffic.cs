namespace Appliance.Live.Sessions;

/// <summary>
/// A connection this node opened itself (a pull from a parent, a push to a target): counted in the
/// traffic metrics under its own listener label while it is open, as sessions are.
/// </summary>
public interface IOutboundTraffic
{
    /// <summary><see cref="TrafficTotals.Upstream"/> or <see cref="TrafficTotals.Push"/>.</summary>
    string Listener { get; }

    /// <summary>Bytes received from the peer so far; still readable once closed.</summary>
    long BytesReceived { get; }

    /// <summary>Bytes sent to the peer so far; still readable once closed.</summary>
    long BytesSent { get; }
}
