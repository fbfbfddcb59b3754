using System.Collections.Concurrent;
using Appliance.Core.Time;

namespace Appliance.Node.Sessions;

/// <summary>
/// Every open session, and one sweeper that enforces all their deadlines four times a second:
/// one timer for the whole node instead of one per connection or per read. Viewers that leave
/// hand their write counts to the table's totals.
/// </summary>
public sealed class SessionTable : IDisposable
{
    private readonly ConcurrentDictionary<long, SessionBase> _sessions = new();
    private readonly Timer _sweeper;
    private readonly ViewerWriteTotals _viewerWrites = new();

    public SessionTable(int sweepIntervalMs = 250) =>
        _sweeper = new Timer(_ => Sweep(), null, sweepIntervalMs, sweepIntervalMs);

    public ICollection<SessionBase> Sessions => _sessions.Values;

    public void Add(SessionBase session) => _sessions[session.Id] = session;

    /// <summary>A session ends: it leaves the table and its counts go into the totals (once, however often called).</summary>
    public void Remove(SessionBase session)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            _viewerWrites.OnFinished(session, MonotonicClock.NowMs);
        }
    }

    /// <summary>Viewer writes, flushes and seconds so far, by protocol: finished viewers and open ones.</summary>
    public ViewerWrites[] CaptureViewerWrites(long nowMs) => _viewerWrites.Capture(_sessions.Values, nowMs);

    public void Sweep()
    {
        var now = MonotonicClock.NowMs;
        // Enumerating the dictionary itself takes no snapshot (Values would copy every session).
        foreach (var (_, session) in _sessions)
        {
            var reason = session.CheckDeadlines(now);
            if (reason is not null)
            {
                session.Abort(reason);
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
