using System.Collections.Concurrent;
using System.Net;
using Appliance.Core.Time;

namespace Appliance.Node.Limits;

/// <summary>
/// A token bucket per client address for HTTP requests: a steady rate with a burst of twice as
/// many. Idle buckets are dropped by <see cref="Sweep"/> so the table stays small.
/// </summary>
public sealed class RequestRateLimiter
{
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    /// <summary>True when a request from <paramref name="address"/> may go ahead at <paramref name="perSecond"/>.</summary>
    public bool TryTake(IPAddress address, int perSecond)
    {
        if (perSecond <= 0)
        {
            return true;
        }
        var bucket = _buckets.GetOrAdd(address, static _ => new Bucket());
        return bucket.TryTake(perSecond, MonotonicClock.NowMs);
    }

    /// <summary>Drops buckets that have been full (idle) for a while.</summary>
    public void Sweep()
    {
        var now = MonotonicClock.NowMs;
        foreach (var (address, bucket) in _buckets)
        {
            if (now - bucket.LastUsedMs > 60_000)
            {
                _buckets.TryRemove(new KeyValuePair<IPAddress, Bucket>(address, bucket));
            }
        }
    }

    private sealed class Bucket
    {
        private readonly Lock _lock = new();
        private double _tokens = -1;

        public long LastUsedMs { get; private set; }

        public bool TryTake(int perSecond, long nowMs)
        {
            lock (_lock)
            {
                var capacity = perSecond * 2.0;
                _tokens = _tokens < 0 ? capacity : Math.Min(capacity, _tokens + (nowMs - LastUsedMs) * perSecond / 1000.0);
                LastUsedMs = nowMs;
                if (_tokens < 1)
                {
                    return false;
                }
                _tokens--;
                return true;
            }
        }
    }
}
