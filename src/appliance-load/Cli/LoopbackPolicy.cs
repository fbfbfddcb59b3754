using System.Net;

namespace Appliance.Load.Cli;

/// <summary>
/// Load may only go to this machine unless the operator says otherwise: a load generator pointed
/// at someone else's server by a typo is an attack.
/// </summary>
internal static class LoopbackPolicy
{
    public static bool IsLoopback(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            // A name could resolve anywhere, and resolve differently later.
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return IPAddress.IsLoopback(address);
    }
}
