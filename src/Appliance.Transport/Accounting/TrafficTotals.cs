using System.Collections.Concurrent;

namespace Appliance.Transport.Accounting;

/// <summary>
/// Bytes and sessions per listener, for the metrics counters: sessions add theirs when they end;
/// the scrape adds the open sessions' bytes on top. Connections the node opens itself (pulls,
/// pushes) are registered while open and read the same way, so a pull that lives for hours shows
/// its traffic as it flows. Kept at the end of a session, not per write, so the data path pays
/// nothing for it.
/// </summary>
public sealed class TrafficTotals
{
    /// <summary>The label of pulls from parents (and the origin).</summary>
    public const string Upstream = "upstream";

    /// <summary>The label of pushes to other nodes.</summary>
    public const string Push = "push";

    public static readonly string[] Listeners = ["rtmp", "http", "admin", Upstream, Push, "https", "rtmps", "srt"];

    private readonly long[] _bytesIn = new long[Listeners.Length];
    private readonly long[] _bytesOut = new long[Listeners.Length];
    private readonly long[] _accepted = new long[Listeners.Length];
    private readonly long[] _refused = new long[Listeners.Length];
    private readonly ConcurrentDictionary<IConnectionTraffic, byte> _outbound = new(ReferenceEqualityComparer.Instance);

    // What the scrape last reported, so a session moving from open to finished never makes a counter go back.
    private readonly long[] _reportedIn = new long[Listeners.Length];
    private readonly long[] _reportedOut = new long[Listeners.Length];

    public void OnAccepted(string listener) => Interlocked.Increment(ref _accepted[IndexOf(listener)]);

    public void OnRefused(string listener) => Interlocked.Increment(ref _refused[IndexOf(listener)]);

    public void OnFinished(IConnectionTraffic session) => Add(session.Listener, session.BytesIn, session.BytesOut);

    /// <summary>An outbound connection is open: the scrape counts its bytes from now on.</summary>
    public void OnOpened(IConnectionTraffic connection) => _outbound.TryAdd(connection, 0);

    /// <summary>
    /// An outbound connection closed: its bytes move to the totals, once however often this is
    /// called. Returns them, for the access log.
    /// </summary>
    public (long In, long Out) OnClosed(IConnectionTraffic connection)
    {
        var bytesIn = connection.BytesIn;
        var bytesOut = connection.BytesOut;
        if (_outbound.TryRemove(connection, out _))
        {
            Add(connection.Listener, bytesIn, bytesOut);
        }
        return (bytesIn, bytesOut);
    }

    private void Add(string listener, long bytesIn, long bytesOut)
    {
        var i = IndexOf(listener);
        Interlocked.Add(ref _bytesIn[i], bytesIn);
        Interlocked.Add(ref _bytesOut[i], bytesOut);
    }

    /// <summary>Outbound connections open now.</summary>
    public int OpenOutbound => _outbound.Count;

    public long Accepted(int listener) => Interlocked.Read(ref _accepted[listener]);

    public long Refused(int listener) => Interlocked.Read(ref _refused[listener]);

    /// <summary>Bytes in and out per listener so far, finished sessions and connections and open ones together; never less than last time.</summary>
    public (long[] In, long[] Out) Snapshot(IEnumerable<IConnectionTraffic> open)
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
        foreach (var (connection, _) in _outbound)
        {
            var i = IndexOf(connection.Listener);
            bytesIn[i] += connection.BytesIn;
            bytesOut[i] += connection.BytesOut;
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
        Upstream => 3,
        Push => 4,
        "https" => 5,
        "rtmps" => 6,
        "srt" => 7,
        _ => 2,
    };
}
