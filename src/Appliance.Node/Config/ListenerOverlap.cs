using System.Net;

namespace Appliance.Node.Config;

/// <summary>
/// Refuses two listeners on one port: the second could not bind and the daemon would fail at
/// start. A wildcard address (0.0.0.0, [::]) takes the port on every address, so it overlaps any
/// address on that port; port 0 lets the kernel pick a free port and never overlaps.
/// </summary>
internal static class ListenerOverlap
{
    public static void Validate(ApplianceConfig config, Action<bool, string, string> check)
    {
        var listeners = new List<(string Path, string Text, IPEndPoint EndPoint)>();
        Add(listeners, "rtmp.listen", config.Rtmp?.Listen);
        Add(listeners, "http.listen", config.Http?.Listen);
        Add(listeners, "https.listen", config.Https?.Listen);
        Add(listeners, "rtmps.listen", config.Rtmps?.Listen);
        Add(listeners, "admin.listen", config.Admin?.Listen);
        for (var i = 1; i < listeners.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (Overlaps(listeners[i].EndPoint, listeners[j].EndPoint))
                {
                    check(false, listeners[i].Path, $"port {listeners[i].EndPoint.Port} is already used by $.{listeners[j].Path} ('{listeners[j].Text}')");
                    break;
                }
            }
        }
    }

    private static void Add(List<(string, string, IPEndPoint)> listeners, string path, string? text)
    {
        // An address that does not parse has its own error; an empty admin.listen is no listener.
        if (ConfigValidator.TryParseEndPoint(text, out var endPoint))
        {
            listeners.Add((path, text!, endPoint));
        }
    }

    private static bool Overlaps(IPEndPoint a, IPEndPoint b) =>
        a.Port != 0 && a.Port == b.Port && (IsWildcard(a.Address) || IsWildcard(b.Address) || Plain(a.Address).Equals(Plain(b.Address)));

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>[::ffff:127.0.0.1] is 127.0.0.1 to a dual-stack socket.</summary>
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
