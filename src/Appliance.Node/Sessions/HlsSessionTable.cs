using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Appliance.Core.Time;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Sessions;

/// <summary>
/// The HLS players of the node, as sessions: HLS has no connection that lasts as long as a
/// viewer watches, so a session is a player (stream, client address, User-Agent) that keeps
/// asking within a window. Each counts as a viewer of its stream (and so under the stream's
/// viewer limit), is listed, kicked and dropped like a connection, and writes one access line
/// when it ends. A request to a known session is one dictionary lookup and one compare-and-swap;
/// creating and ending sessions take a lock; expiry is a sweep on the node's timer.
/// </summary>
/// <remarks>
/// Why not the HLS session token: the node's token is stateless (stream and expiry, signed), the
/// same for every player of a stream in the same second, and renewed with each playlist, which
/// players reload from their own URL without it; it proves a segment request was authorized, not
/// who made it. So every session, token or not, is known by address and User-Agent.
/// </remarks>
public sealed class HlsSessionTable
{
    /// <summary>The shortest window, whatever the target duration.</summary>
    public const long MinWindowMs = 10_000;

    /// <summary>The window, in target durations.</summary>
    public const int WindowTargetDurations = 3;

    private readonly ConcurrentDictionary<HlsSessionKey, HlsSession> _sessions = new();
    private readonly Lock _lock = new();

    // Entries (sessions and kicked stand-ins) in all and per address: what the limits bound. Under _lock.
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _entries;

    private readonly AccessLog _accessLog;
    private readonly Func<long> _clock;

    public HlsSessionTable(AccessLog accessLog, Func<long>? clock = null)
    {
        _accessLog = accessLog;
        _clock = clock ?? (static () => MonotonicClock.NowMs);
    }

    /// <summary>A session began (its first request is being answered). Raised once per session, outside the table's lock; handlers must be quick and must not throw.</summary>
    public event Action<HlsSession>? Started;

    /// <summary>A session ended, with the reason on its access line. Raised once per session, as <see cref="Started"/>.</summary>
    public event Action<HlsSession, string>? Ended;

    /// <summary>
    /// How long a player may make no request before its session ends: three target durations,
    /// at least 10 s. A player reloads a live playlist about once per target duration and fetches
    /// a segment in between, so a session ends only after two reloads in a row did not come; the
    /// floor keeps a short hiccup of a low-latency stream (1 s segments) from splitting one viewer
    /// into two.
    /// </summary>
    public static long WindowOf(StreamingAppConfig app) =>
        Math.Max(MinWindowMs, WindowTargetDurations * (long)app.Hls.TargetDurationMs);

    /// <summary>Open sessions (kicked stand-ins are not), in no order.</summary>
    public IEnumerable<HlsSession> Sessions
    {
        get
        {
            foreach (var (_, session) in _sessions)
            {
                if (!session.IsRefused && !session.IsEnded)
                {
                    yield return session;
                }
            }
        }
    }

    /// <summary>Open sessions now.</summary>
    public int Count => Sessions.Count();

    /// <summary>
    /// The session a request of <paramref name="stream"/> from <paramref name="address"/> with
    /// <paramref name="userAgent"/> belongs to, made if it is new and the limits allow
    /// (<paramref name="maxSessions"/> in the table, <paramref name="maxPerAddress"/> from one
    /// address, the stream's own viewer limit; 0 = none). Requests of a session always go on.
    /// </summary>
    public HlsAdmission Admit(LiveStream stream, IPAddress address, string? userAgent, int maxSessions, int maxPerAddress, out HlsSession? session)
    {
        var key = HlsSessionKey.Of(stream.Key, address, userAgent);
        var now = _clock();
        if (_sessions.TryGetValue(key, out var found) && (found.IsRefused || ReferenceEquals(found.Stream, stream)) && found.TryTouch(now))
        {
            session = found.IsRefused ? null : found;
            return found.IsRefused ? HlsAdmission.Kicked : HlsAdmission.Counted;
        }
        session = null;
        if (stream.IsEnded)
        {
            return HlsAdmission.Uncounted;
        }
        HlsSession? stale = null;
        HlsAdmission admission;
        lock (_lock)
        {
            if (_sessions.TryGetValue(key, out found))
            {
                if ((found.IsRefused || ReferenceEquals(found.Stream, stream)) && found.TryTouch(now))
                {
                    // Another request of the same player made it a moment ago.
                    session = found.IsRefused ? null : found;
                    return found.IsRefused ? HlsAdmission.Kicked : HlsAdmission.Counted;
                }
                // Ended, or of an earlier stream of this name that the sweep has not ended yet.
                if (found.TryEnd())
                {
                    stale = found;
                }
                RemoveLocked(found);
            }
            admission = CreateLocked(key, stream, now, maxSessions, maxPerAddress, out session);
        }
        if (stale is not null)
        {
            Report(stale, "stream ended");
        }
        if (session is not null)
        {
            Started?.Invoke(session);
        }
        return admission;
    }

    private HlsAdmission CreateLocked(HlsSessionKey key, LiveStream stream, long now, int maxSessions, int maxPerAddress, out HlsSession? session)
    {
        session = null;
        // At the bound new players are refused and known ones go on: the table cannot grow past
        // it whatever requests arrive, and it frees as sessions expire.
        if (maxSessions > 0 && _entries >= maxSessions)
        {
            return HlsAdmission.TableFull;
        }
        var fromAddress = _perAddress.GetValueOrDefault(key.Address);
        if (maxPerAddress > 0 && fromAddress >= maxPerAddress)
        {
            return HlsAdmission.AddressFull;
        }
        if (!stream.TryAddHlsViewer())
        {
            return stream.IsEnded ? HlsAdmission.Uncounted : HlsAdmission.StreamFull;
        }
        session = new HlsSession(SessionIds.Next(), key, stream, now, WindowOf(stream.App), refused: false);
        AddLocked(session);
        return HlsAdmission.Counted;
    }

    /// <summary>
    /// Ends sessions that made no request for their window or whose stream ended, and forgets
    /// kicked players that stopped asking. Called by the node's timer, never by a request.
    /// </summary>
    public void Sweep()
    {
        var now = _clock();
        // Enumerating the dictionary itself takes no snapshot.
        foreach (var (_, session) in _sessions)
        {
            if (session.IsRefused)
            {
                if (session.TryExpire(now))
                {
                    Remove(session);
                }
            }
            else if (session.Stream.IsEnded)
            {
                if (session.TryEnd())
                {
                    Remove(session);
                    Report(session, "stream ended");
                }
            }
            else if (session.TryExpire(now))
            {
                Remove(session);
                Report(session, $"no request for {session.WindowMs} ms");
            }
        }
    }

    /// <summary>
    /// Ends session <paramref name="id"/>; its player's requests then get 403 until it has made
    /// none for one window. Null if there is no such open session, else the session.
    /// </summary>
    public HlsSession? Kick(long id, string reason)
    {
        foreach (var (_, session) in _sessions)
        {
            if (session.Id != id || session.IsRefused)
            {
                continue;
            }
            lock (_lock)
            {
                // Under the lock, so no request of the player can slip in a new session before the stand-in is there.
                if (!session.TryEnd())
                {
                    return null;
                }
                if (RemoveLocked(session))
                {
                    AddLocked(new HlsSession(session.Id, session.Key, session.Stream, _clock(), session.WindowMs, refused: true));
                }
            }
            Report(session, reason);
            return session;
        }
        return null;
    }

    /// <summary>Ends every open session of the streams <paramref name="matches"/> accepts; how many.</summary>
    public int EndWhere(Func<HlsSession, bool> matches, string reason)
    {
        var ended = 0;
        foreach (var (_, session) in _sessions)
        {
            if (!session.IsRefused && matches(session) && session.TryEnd())
            {
                Remove(session);
                Report(session, reason);
                ended++;
            }
        }
        return ended;
    }

    private void Remove(HlsSession session)
    {
        lock (_lock)
        {
            RemoveLocked(session);
        }
    }

    private void AddLocked(HlsSession session)
    {
        _sessions[session.Key] = session;
        _entries++;
        _perAddress[session.Key.Address] = _perAddress.GetValueOrDefault(session.Key.Address) + 1;
    }

    /// <summary>Takes the entry out if it is still the one under its key; whoever takes it out uncounts it.</summary>
    private bool RemoveLocked(HlsSession session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<HlsSessionKey, HlsSession>(session.Key, session)))
        {
            return false;
        }
        _entries--;
        var address = session.Key.Address;
        if (_perAddress.TryGetValue(address, out var count) && count > 1)
        {
            _perAddress[address] = count - 1;
        }
        else
        {
            _perAddress.Remove(address);
        }
        return true;
    }

    /// <summary>An ended session leaves its stream's viewers and writes its access line: in is 0 (requests are on their connections' lines), duration from its first request to its last.</summary>
    private void Report(HlsSession session, string reason)
    {
        session.Stream.RemoveHlsViewer();
        _accessLog.Write("hls", session.Client, session.StreamPath, session.LastStatus.ToString(CultureInfo.InvariantCulture), 0, session.BytesOut,
            (session.LastRequestMs - session.StartedMs) / 1000.0, reason);
        Ended?.Invoke(session, reason);
    }
}
