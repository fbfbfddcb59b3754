namespace Appliance.Live.Sessions;

/// <summary>
/// Bytes and sessions per listener, for the metrics counters: sessions add theirs when they end;
/// the scrape adds the open sessions' bytes on top. Kept at the end of a session, not per write,
/// so the data path pays nothing for it.
/// </summary>
public sealed class TrafficTotals
{
    public static readonly string[] Listeners = ["rtmp", "http", "admin", "upstream", "push"];

    private readonly long[] _bytesIn = new long[Listeners.Length];
    private readonly long[] _bytesOut = new long[Listeners.Length];
    private readonly long[] _accepted = new long[Listeners.Length];
    private readonly long[] _refused = new long[Listeners.Length];

    // What the scrape last reported, so a session moving from open to finished never makes a counter go back.
    private readonly long[] _reportedIn = new long[Listeners.Length];
    private readonly long[] _reportedOut = new long[Listeners.Length];

    public void OnAccepted(string listener) => Interlocked.Increment(ref _accepted[IndexOf(listener)]);

    public void OnRefused(string listener) => Interlocked.Increment(ref _refused[IndexOf(listener)]);

    public void OnFinished(SessionBase session)
    {
        var i = IndexOf(session.Listener);
        Interlocked.Add(ref _bytesIn[i], session.BytesIn);
        Interlocked.Add(ref _bytesOut[i], session.BytesOut);
    }

    public long Accepted(int listener) => Interlocked.Read(ref _accepted[listener]);

    public long Refused(int listener) => Interlocked.Read(ref _refused[listener]);

    /// <summary>Bytes in and out per listener so far, finished sessions and open ones together; never less than last time.</summary>
    public (long[] In, long[] Out) Snapshot(IEnumerable<SessionBase> open)
    {
        var bytesIn = new long[Listeners.Length];
        var bytesOut = new long[Listeners.Length];
        for (var i = 0; i < Listeners.Length; i++)
        {
            bytesIn[i] = Interlocked.Read(ref _bytesIn[i]);
            bytesOut[i] = Interlocked.Read(ref _bytesOut[i]);
        }
        foreach (var session in open)
        {
            var i = IndexOf(session.Listener);
            bytesIn[i] += session.BytesIn;
            bytesOut[i] += session.BytesOut;
        }
        lock (_reportedIn)
        {
            for (var i = 0; i < Listeners.Length; i++)
            {
                bytesIn[i] = _reportedIn[i] = Math.Max(bytesIn[i], _reportedIn[i]);
                bytesOut[i] = _reportedOut[i] = Math.Max(bytesOut[i], _reportedOut[i]);
            }
        }
        return (bytesIn, bytesOut);
    }

    public static int IndexOf(string listener) => listener switch
    {
        "rtmp" => 0,
        "http" => 1,
        "upstream" => 3,
        "push" => 4,
        _ => 2,
    };
}
