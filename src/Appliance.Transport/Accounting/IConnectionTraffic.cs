namespace Appliance.Transport.Accounting;

/// <summary>
/// A connection counted in the traffic metrics under its listener's label: a session a listener
/// accepted, or a connection this node opened itself (a pull from a parent, a push to a target).
/// </summary>
public interface IConnectionTraffic
{
    /// <summary>The listener label: rtmp, http, admin, or <see cref="TrafficTotals.Upstream"/> / <see cref="TrafficTotals.Push"/>.</summary>
    string Listener { get; }

    /// <summary>Bytes received from the peer so far; still readable once closed.</summary>
    long BytesIn { get; }

    /// <summary>Bytes sent to the peer so far; still readable once closed.</summary>
    long BytesOut { get; }
}
