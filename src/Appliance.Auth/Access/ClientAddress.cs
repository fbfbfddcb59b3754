using System.Net;

namespace Appliance.Auth.Access;

/// <summary>
/// Who the client is: the socket peer, unless that peer is a trusted proxy, in which case the
/// first X-Forwarded-For entry (the address the first proxy saw). Anyone else could put any
/// address in that header, so for them it is ignored.
/// </summary>
public static class ClientAddress
{
    public static IPAddress Resolve(IPAddress peer, string? forwardedFor, CidrSet trustedProxies)
    {
        if (string.IsNullOrEmpty(forwardedFor) || trustedProxies.IsEmpty || !trustedProxies.Contains(peer))
        {
            return peer;
        }
        var first = forwardedFor.AsSpan();
        int comma = first.IndexOf(',');
        if (comma >= 0)
        {
            first = first[..comma];
        }
        first = first.Trim();
        if (first.IsEmpty || first.Length > 64)
        {
            return peer;
        }
        if (first.IndexOf(':') < 0 || first[0] == '[' || first.Count(':') == 1)
        {
            // IPv4, possibly with a port, or a bracketed IPv6 with one: some proxies write "1.2.3.4:5678".
            return IPEndPoint.TryParse(first, out var endPoint) && IsSpelledOut(first, endPoint.Address) ? endPoint.Address : peer;
        }
        return IPAddress.TryParse(first, out var address) ? address : peer;
    }

    // IPAddress parsing also takes "10.1" and "167772161"; a forwarded address must be a dotted quad.
    private static bool IsSpelledOut(ReadOnlySpan<char> text, IPAddress address) =>
        address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || text.Count('.') == 3;
}
