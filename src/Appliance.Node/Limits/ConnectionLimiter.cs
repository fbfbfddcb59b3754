using System.Collections.Concurrent;
using System.Net;

namespace Appliance.Node.Limits;

/// <summary>
/// Counts open connections, in total and per client address, so a flood from one address (or
/// from everywhere) is refused at accept instead of exhausting descriptors and memory.
/// </summary>
public sealed class ConnectionLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private int _total;

    /// <summary>Counts a new connection, or says why it is refused (and counts nothing).</summary>
    public string? TryEnter(IPAddress? address, int maxTotal, int maxPerIp)
    {
        if (Interlocked.Increment(ref _total) > maxTotal && maxTotal > 0)
        {
            Interlocked.Decrement(ref _total);
            return $"connection limit reached ({maxTotal})";
        }
        if (address is null)
        {
            return null;
        }
        var count = _perIp.AddOrUpdate(address, 1, static (_, n) => n + 1);
        if (maxPerIp > 0 && count > maxPerIp)
        {
            Leave(address);
            return $"too many connections from {address} ({maxPerIp})";
        }
        return null;
    }

    public void Leave(IPAddress? address)
    {
        Interlocked.Decrement(ref _total);
        if (address is null)
        {
            return;
        }
        while (_perIp.TryGetValue(address, out var count))
        {
            if (count <= 1
                ? _perIp.TryRemove(new KeyValuePair<IPAddress, int>(address, count))
                : _perIp.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
