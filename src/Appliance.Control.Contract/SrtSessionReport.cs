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

    public long PacketsRetransmitted { get; set; }

    /// <summary>Packets given up on: too late to play, on either side.</summary>
    public long PacketsDropped { get; set; }

    public int SendBufferMs { get; set; }

    public int ReceiveBufferMs { get; set; }
}
