using System.Globalization;
using System.Runtime.InteropServices;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>
/// What SRT knows about one connection (srt_bstats, totals since it opened): round-trip time,
/// packets lost and retransmitted, dropped for being too late, the link bandwidth estimate and the
/// buffers' fill in milliseconds. A sender counts the packets it retransmitted, a receiver the
/// retransmitted packets it received: a publisher's link shows its repairs in the latter.
/// </summary>
public readonly record struct SrtStats(
    double RttMs,
    double BandwidthMbps,
    long PacketsSent,
    long PacketsReceived,
    long PacketsSentLost,
    long PacketsReceivedLost,
    long PacketsRetransmitted,
    long PacketsReceivedRetransmitted,
    long PacketsReceivedDropped,
    long PacketsSentDropped,
    int SendBufferMs,
    int ReceiveBufferMs)
{
    /// <summary>The packets given up on for being too late, on either side.</summary>
    public long PacketsDropped => PacketsSentDropped + PacketsReceivedDropped;

    /// <summary>The figures as key=value fields for the access log line (units in the keys, no spaces in values).</summary>
    public string ToLogFields() => string.Create(CultureInfo.InvariantCulture,
        $"srt_rtt_ms={RttMs:F1} srt_packets_in={PacketsReceived} srt_packets_out={PacketsSent} srt_lost_in={PacketsReceivedLost} srt_lost_out={PacketsSentLost} srt_retrans_out={PacketsRetransmitted} srt_retrans_in={PacketsReceivedRetransmitted} srt_dropped={PacketsDropped} srt_sndbuf_ms={SendBufferMs} srt_rcvbuf_ms={ReceiveBufferMs} srt_bw_mbps={BandwidthMbps:F1}");

    internal static unsafe SrtStats? Read(int socket)
    {
        // libsrt writes its whole (growing) struct; the prefix below is stable since 1.4. Never
        // cleared (clear = 0), so its "interval" counters such as pktRcvRetrans count since the start.
        var buffer = stackalloc byte[2048];
        if (LibSrt.BStats(socket, buffer, 0) < 0)
        {
            return null;
        }
        var s = MemoryMarshal.Read<PerfMon>(new ReadOnlySpan<byte>(buffer, sizeof(PerfMon)));
        return new SrtStats(s.MsRtt, s.MbpsBandwidth, s.PktSentTotal, s.PktRecvTotal, s.PktSndLossTotal, s.PktRcvLossTotal,
            s.PktRetransTotal, s.PktRcvRetrans, s.PktRcvDropTotal, s.PktSndDropTotal, s.MsSndBuf, s.MsRcvBuf);
    }

    // SRT_TRACEBSTATS (srt.h, CBytePerfMon) up to msRcvTsbPdDelay; C's natural alignment, as Sequential lays it out.
    [StructLayout(LayoutKind.Sequential)]
    private struct PerfMon
    {
        public long MsTimeStamp;
        public long PktSentTotal;
        public long PktRecvTotal;
        public int PktSndLossTotal;
        public int PktRcvLossTotal;
        public int PktRetransTotal;
        public int PktSentAckTotal;
        public int PktRecvAckTotal;
        public int PktSentNakTotal;
        public int PktRecvNakTotal;
        public long UsSndDurationTotal;
        public int PktSndDropTotal;
        public int PktRcvDropTotal;
        public int PktRcvUndecryptTotal;
        public ulong ByteSentTotal;
        public ulong ByteRecvTotal;
        public ulong ByteRcvLossTotal;
        public ulong ByteRetransTotal;
        public ulong ByteSndDropTotal;
        public ulong ByteRcvDropTotal;
        public ulong ByteRcvUndecryptTotal;
        public long PktSent;
        public long PktRecv;
        public int PktSndLoss;
        public int PktRcvLoss;
        public int PktRetrans;
        public int PktRcvRetrans;
        public int PktSentAck;
        public int PktRecvAck;
        public int PktSentNak;
        public int PktRecvNak;
        public double MbpsSendRate;
        public double MbpsRecvRate;
        public long UsSndDuration;
        public int PktReorderDistance;
        public double PktRcvAvgBelatedTime;
        public long PktRcvBelated;
        public int PktSndDrop;
        public int PktRcvDrop;
        public int PktRcvUndecrypt;
        public ulong ByteSent;
        public ulong ByteRecv;
        public ulong ByteRcvLoss;
        public ulong ByteRetrans;
        public ulong ByteSndDrop;
        public ulong ByteRcvDrop;
        public ulong ByteRcvUndecrypt;
        public double UsPktSndPeriod;
        public int PktFlowWindow;
        public int PktCongestionWindow;
        public int PktFlightSize;
        public double MsRtt;
        public double MbpsBandwidth;
        public int ByteAvailSndBuf;
        public int ByteAvailRcvBuf;
        public double MbpsMaxBw;
        public int ByteMss;
        public int PktSndBuf;
        public int ByteSndBuf;
        public int MsSndBuf;
        public int MsSndTsbPdDelay;
        public int PktRcvBuf;
        public int ByteRcvBuf;
        public int MsRcvBuf;
        public int MsRcvTsbPdDelay;
    }
}
