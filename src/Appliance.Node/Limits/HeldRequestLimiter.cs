using System.Collections.Concurrent;
using System.Net;
using Appliance.Streaming.Logging;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Limits;

/// <summary>
/// Counts the requests each client address holds at once, over every stream (LL-HLS blocking
/// reloads, preload-hinted parts, LL-DASH chunked segments), so one address cannot take a
/// stream's whole cmaf.maxHeldRequests, or the node's timers and connections, by asking for
/// parts still to come (limits.maxHeldRequestsPerIp). Refusals are logged at most once per
/// interval with a count, as a flood would otherwise write a line per request.
/// </summary>
public sealed class HeldRequestLimiter(ILogger logger)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perIp = new();
    private int _total;

    /// <summary>Rate-limits the refusal lines: the caller writes its line when this says so.</summary>
    public RepeatedLog Refusals { get; } = new(logger, LogLevel.Warning, "http", "held requests refused past limits.maxHeldRequestsPerIp");

    /// <summary>Requests held now, from every address.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Requests held now from <paramref name="address"/>.</summary>
    public int CountOf(IPAddress address) => _perIp.TryGetValue(address, out var count) ? count : 0;

    /// <summary>Counts a request held for <paramref name="address"/>, or false (counting nothing) past <paramref name="maxPerIp"/> (0: no limit).</summary>
    public bool TryEnter(IPAddress address, int maxPerIp)
    {
        Interlocked.Increment(ref _total);
        var count = _perIp.AddOrUpdate(address, 1, static (_, n) => n + 1);
        if (maxPerIp > 0 && count > maxPerIp)
        {
            Leave(address);
            return false;
        }
        return true;
    }

    /// <summary>The hold is over, however it ended; the address leaves the table at zero.</summary>
    public void Leave(IPAddress address)
    {
        Interlocked.Decrement(ref _total);
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
