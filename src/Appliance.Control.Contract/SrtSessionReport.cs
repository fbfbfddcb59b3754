using System.Globalization;

namespace Appliance.Control.Contract;

/// <summary>SRT's own figures for one SRT session (srt_bstats, totals since it connected).</summary>
public sealed class SrtSessionReport
{
    public double RttMs { get; set; }

    public double BandwidthMbps { get; set; }

    public long PacketsSent { get; set; }

    public long PacketsReceived { get; set; }

    /// <summary>Packets the peer reported lost on their way out (sending side).</summary>
    public long PacketsSentLost { get; set; }

    /// <summary>Packets found missing on their way in (receiving side).</summary>
    public long PacketsReceivedLost { get; set; }

    /// <summary>Packets this node sent again (sending side: a player).</summary>
    public long PacketsRetransmitted { get; set; }

    /// <summary>Retransmitted packets this node received (receiving side: a publisher's repairs).</summary>
    public long PacketsReceivedRetransmitted { get; set; }

    /// <summary>Packets given up on: too late to play, on either side.</summary>
    public long PacketsDropped { get; set; }

    public int SendBufferMs { get; set; }

    public int ReceiveBufferMs { get; set; }

    /// <summary>
    /// One line for the session table: RTT, packets lost on the way in and out, retransmitted and
    /// dropped, then the send/receive buffers in ms and the link's estimated bandwidth.
    /// </summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"rtt {RttMs:F1} ms, lost {PacketsReceivedLost} in/{PacketsSentLost} out, retrans {PacketsReceivedRetransmitted} in/{PacketsRetransmitted} out, dropped {PacketsDropped}, buf {SendBufferMs}/{ReceiveBufferMs} ms, bw {BandwidthMbps:F0} Mbit/s");
}
