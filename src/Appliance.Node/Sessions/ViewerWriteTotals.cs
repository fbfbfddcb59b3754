namespace Appliance.Node.Sessions;

/// <summary>Writes, flushes, bytes and seconds of the viewers of one protocol so far, open and finished together.</summary>
/// <param name="Protocol">rtmp, http-flv or http-ts: the labels of <c>appliance_viewers</c>.</param>
/// <param name="Writes">System calls that wrote to the viewers' sockets (sendmsg, sendfile, send).</param>
/// <param name="Flushes">Gather writes the viewers' connection writers handed to their sockets.</param>
/// <param name="Seconds">Seconds the viewers' connections were open.</param>
/// <param name="Bytes">Bytes the viewers' connection writers handed to their sockets: divided by the writes, bytes per write.</param>
public readonly record struct ViewerWrites(string Protocol, long Writes, long Flushes, double Seconds, long Bytes);

/// <summary>
/// The measure of batching: per viewer-second, how many writes the viewers cost. Finished sessions
/// add theirs when they leave the session table; a capture adds the open ones on top, so the data
/// path pays nothing for it (bytes are kept the same way, in TrafficTotals).
/// </summary>
public sealed class ViewerWriteTotals
{
    /// <summary>The protocol labels, in index order.</summary>
    public static readonly string[] Protocols = ["rtmp", "http-flv", "http-ts"];

    private readonly long[] _writes = new long[Protocols.Length];
    private readonly long[] _flushes = new long[Protocols.Length];
    private readonly long[] _milliseconds = new long[Protocols.Length];
    private readonly long[] _bytes = new long[Protocols.Length];

    // What the last capture reported, so a session moving from open to finished never makes a counter go back.
    private readonly long[] _reportedWrites = new long[Protocols.Length];
    private readonly long[] _reportedFlushes = new long[Protocols.Length];
    private readonly long[] _reportedMilliseconds = new long[Protocols.Length];
    private readonly long[] _reportedBytes = new long[Protocols.Length];

    /// <summary>A session left the table: a viewer's counts move into the totals (call once, after its writer stopped).</summary>
    public void OnFinished(SessionBase session, long nowMs)
    {
        var i = IndexOf(session.Protocol);
        if (i < 0)
        {
            return;
        }
        Interlocked.Add(ref _writes[i], session.Connection.Output.Syscalls);
        Interlocked.Add(ref _flushes[i], session.Writer.Flushes);
        Interlocked.Add(ref _milliseconds[i], Math.Max(0, nowMs - session.StartedMs));
        Interlocked.Add(ref _bytes[i], session.Writer.BytesWritten);
    }

    /// <summary>The totals with <paramref name="open"/> sessions' counts so far on top; never less than last time.</summary>
    public ViewerWrites[] Capture(IEnumerable<SessionBase> open, long nowMs)
    {
        // Totals first, then the open sessions: a session leaves the table before it adds to the
        // totals, so it is never counted twice (at worst missed once, which the clamp below hides).
        var writes = new long[Protocols.Length];
        var flushes = new long[Protocols.Length];
        var milliseconds = new long[Protocols.Length];
        var bytes = new long[Protocols.Length];
        for (var i = 0; i < Protocols.Length; i++)
        {
            writes[i] = Interlocked.Read(ref _writes[i]);
            flushes[i] = Interlocked.Read(ref _flushes[i]);
            milliseconds[i] = Interlocked.Read(ref _milliseconds[i]);
            bytes[i] = Interlocked.Read(ref _bytes[i]);
        }
        foreach (var session in open)
        {
            var i = IndexOf(session.Protocol);
            if (i >= 0)
            {
                writes[i] += session.Connection.Output.Syscalls;
                flushes[i] += session.Writer.Flushes;
                milliseconds[i] += Math.Max(0, nowMs - session.StartedMs);
                bytes[i] += session.Writer.BytesWritten;
            }
        }
        var result = new ViewerWrites[Protocols.Length];
        lock (_reportedWrites)
        {
            for (var i = 0; i < Protocols.Length; i++)
            {
                writes[i] = _reportedWrites[i] = Math.Max(writes[i], _reportedWrites[i]);
                flushes[i] = _reportedFlushes[i] = Math.Max(flushes[i], _reportedFlushes[i]);
                milliseconds[i] = _reportedMilliseconds[i] = Math.Max(milliseconds[i], _reportedMilliseconds[i]);
                bytes[i] = _reportedBytes[i] = Math.Max(bytes[i], _reportedBytes[i]);
                result[i] = new ViewerWrites(Protocols[i], writes[i], flushes[i], milliseconds[i] / 1000.0, bytes[i]);
            }
        }
        return result;
    }

    /// <summary>The viewer protocols of <see cref="SessionBase.IsViewer"/>; -1 for any other session.</summary>
    private static int IndexOf(string protocol) => protocol switch
    {
        "rtmp-play" => 0,
        "http-flv" => 1,
        "http-ts" => 2,
        _ => -1,
    };
}
