using Appliance.Transport.Srt;

namespace Appliance.Transport.Tests;

public sealed class SrtStatsTests
{
    [Fact]
    public void The_access_log_fields_name_every_figure_with_its_unit_and_sum_the_drops_of_both_sides()
    {
        var stats = new SrtStats(RttMs: 301.26, BandwidthMbps: 94.44, PacketsSent: 10, PacketsReceived: 2000, PacketsSentLost: 1, PacketsReceivedLost: 97,
            PacketsRetransmitted: 2, PacketsReceivedRetransmitted: 95, PacketsReceivedDropped: 3, PacketsSentDropped: 4, SendBufferMs: 0, ReceiveBufferMs: 480);

        Assert.Equal(7, stats.PacketsDropped);
        Assert.Equal("srt_rtt_ms=301.3 srt_packets_in=2000 srt_packets_out=10 srt_lost_in=97 srt_lost_out=1 srt_retrans_out=2 srt_retrans_in=95 srt_dropped=7 srt_sndbuf_ms=0 srt_rcvbuf_ms=480 srt_bw_mbps=94.4",
            stats.ToLogFields());
    }
}
