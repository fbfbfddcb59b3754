using Appliance.Auth.Tokens;
using System.Collections.Concurrent;

namespace Appliance.Auth.Callback;

/// <summary>
/// Remembers allowed callback answers by (action, stream, params) for a few seconds, so a player
/// fetching playlist and segments does not cost the customer one call per request. Refusals are
/// never cached: a customer who just fixed an account must not wait. Bounded, because the params
/// are the client's to vary.
/// </summary>
internal sealed class CallbackCache
{
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Key, long> _expiries = new();
    private readonly TimeProvider _time;
    private readonly long _lifetimeMs;

    public CallbackCache(int lifetimeSeconds, TimeProvider time)
    {
        _lifetimeMs = lifetimeSeconds * 1000L;
        _time = time;
    }

    public bool IsAllowed(AuthAction action, string stream, string parameters)
    {
        return _lifetimeMs > 0
            && _expiries.TryGetValue(new Key(action, stream, parameters), out long expiry)
            && Now() < expiry;
    }

    public void Allow(AuthAction action, string stream, string parameters)
    {
        if (_lifetimeMs <= 0)
        {
            return;
        }
        long now = Now();
        // Only reached after a network round trip, so the occasional full sweep costs nothing that matters.
        if (_expiries.Count >= MaxEntries)
        {
            foreach (var entry in _expiries)
            {
                if (entry.Value <= now)
                {
                    _expiries.TryRemove(entry.Key, out _);
                }
            }
            if (_expiries.Count >= MaxEntries)
            {
                _expiries.Clear();
            }
        }
        _expiries[new Key(action, stream, parameters)] = now + _lifetimeMs;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private readonly record struct Key(AuthAction Action, string Stream, string Parameters);
}
