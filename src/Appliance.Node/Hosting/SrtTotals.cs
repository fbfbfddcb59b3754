using Appliance.Node.Sessions;
using Appliance.Transport.Srt;

namespace Appliance.Node.Hosting;

/// <summary>
/// SRT's figures across sessions, for /metrics: the counters are the finished sessions' last
/// figures plus the open sessions' now, never less than the last scrape reported (a session moving
/// from open to finished must not make a counter go back); the gauges are the worst open session
/// and, bounded like the streams' labels, each SRT publisher's link. Read at scrape time from what
/// libsrt keeps anyway, so the data path does nothing for it.
/// </summary>
public sealed class SrtTotals
{
    private const int Counters = 7;

    private readonly long[] _finished = new long[Counters];
    private readonly long[] _reported = new long[Counters];

    /// <summary>A session ended (after it left the session table): its last figures move to the totals.</summary>
    public void OnFinished(SrtStats? last)
    {
        if (last is not { } stats)
        {
            return;
        }
        Span<long> values = stackalloc long[Counters];
        Fill(stats, values);
        lock (_finished)
        {
            for (var i = 0; i < Counters; i++)
            {
                _finished[i] += values[i];
            }
        }
    }

    public SrtStatus Snapshot(IEnumerable<SessionBase> open, int maxPublisherLabels)
    {
        var totals = new long[Counters];
        Span<long> values = stackalloc long[Counters];
        var sessions = 0;
        double maxRtt = 0;
        int maxReceiveBuffer = 0, maxSendBuffer = 0;
        var publishers = new List<SrtPublisherStatus>();
        foreach (var session in open)
        {
            if (session is not ISrtSession srt || srt.Stats is not { } stats)
            {
                continue;
            }
            sessions++;
            Fill(stats, values);
            for (var i = 0; i < Counters; i++)
            {
                totals[i] += values[i];
            }
            maxRtt = Math.Max(maxRtt, stats.RttMs);
            maxReceiveBuffer = Math.Max(maxReceiveBuffer, stats.ReceiveBufferMs);
            maxSendBuffer = Math.Max(maxSendBuffer, stats.SendBufferMs);
            if (srt.IsPublishing)
            {
                publishers.Add(new SrtPublisherStatus(srt.StreamPath, stats.RttMs, stats.PacketsReceivedLost, stats.PacketsReceivedRetransmitted,
                    stats.PacketsReceivedDropped, stats.ReceiveBufferMs));
            }
        }
        lock (_finished)
        {
            for (var i = 0; i < Counters; i++)
            {
                totals[i] = _reported[i] = Math.Max(totals[i] + _finished[i], _reported[i]);
            }
        }
        publishers.Sort((a, b) => string.CompareOrdinal(a.Stream, b.Stream));
        if (publishers.Count > maxPublisherLabels)
        {
            publishers.RemoveRange(maxPublisherLabels, publishers.Count - maxPublisherLabels);
        }
        return new SrtStatus(sessions, totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6],
            maxRtt, maxReceiveBuffer, maxSendBuffer, publishers);
    }

    private static void Fill(SrtStats stats, Span<long> values)
    {
        values[0] = stats.PacketsSent;
        values[1] = stats.PacketsReceived;
        values[2] = stats.PacketsReceivedLost;
        values[3] = stats.PacketsSentLost;
        values[4] = stats.PacketsReceivedRetransmitted;
        values[5] = stats.PacketsRetransmitted;
        values[6] = stats.PacketsDropped;
    }
}

/// <summary>SRT across the node's sessions in a <see cref="NodeStatus"/>: counters since start, gauges of the open sessions.</summary>
public sealed record SrtStatus(
    int Sessions,
    long PacketsSent,
    long PacketsReceived,
    long PacketsLostIn,
    long PacketsLostOut,
    long PacketsRetransmittedIn,
    long PacketsRetransmittedOut,
    long PacketsDropped,
    double MaxRttMs,
    int MaxReceiveBufferMs,
    int MaxSendBufferMs,
    IReadOnlyList<SrtPublisherStatus> Publishers);

/// <summary>One SRT publisher's link now: RTT, and since it connected the packets lost, repaired and dropped on the way in.</summary>
public readonly record struct SrtPublisherStatus(string Stream, double RttMs, long PacketsLost, long PacketsRetransmitted, long PacketsDropped, int ReceiveBufferMs);
