using Appliance.Control.Contract;
using Appliance.Node.Hosting;
using Appliance.Node.Metrics;
using Appliance.Transport.Srt;

namespace Appliance.Node.Tests.Srt;

/// <summary>SRT's figures as the session table, /metrics and the totals across sessions show them.</summary>
public sealed class SrtStatsReportTests
{
    private static readonly SrtStats Publisher = new(RttMs: 300.04, BandwidthMbps: 941.2, PacketsSent: 50, PacketsReceived: 9000, PacketsSentLost: 0,
        PacketsReceivedLost: 450, PacketsRetransmitted: 0, PacketsReceivedRetransmitted: 440, PacketsReceivedDropped: 2, PacketsSentDropped: 0,
        SendBufferMs: 0, ReceiveBufferMs: 455);

    [Fact]
    public void The_session_table_summary_shows_rtt_loss_and_repairs_each_way_buffers_and_bandwidth()
    {
        var report = new SrtSessionReport
        {
            RttMs = 300.04, BandwidthMbps = 941.2, PacketsReceivedLost = 450, PacketsSentLost = 1, PacketsReceivedRetransmitted = 440,
            PacketsRetransmitted = 3, PacketsDropped = 2, SendBufferMs = 0, ReceiveBufferMs = 455,
        };

        Assert.Equal("rtt 300.0 ms, lost 450 in/1 out, retrans 440 in/3 out, dropped 2, buf 0/455 ms, bw 941 Mbit/s", report.Summary());
    }

    [Fact]
    public void Finished_sessions_figures_stay_in_the_counters_which_never_go_back()
    {
        var totals = new SrtTotals();
        totals.OnFinished(Publisher);
        totals.OnFinished(null);
        totals.OnFinished(Publisher with { PacketsReceivedLost = 50, PacketsReceivedRetransmitted = 10 });

        var status = totals.Snapshot([], maxPublisherLabels: 10);

        Assert.Equal(0, status.Sessions);
        Assert.Equal(18000, status.PacketsReceived);
        Assert.Equal(500, status.PacketsLostIn);
        Assert.Equal(450, status.PacketsRetransmittedIn);
        Assert.Equal(4, status.PacketsDropped);
        Assert.Equal(0, status.MaxRttMs);
        Assert.Equal(status, totals.Snapshot([], maxPublisherLabels: 10) with { Publishers = status.Publishers });
    }

    [Fact]
    public void Metrics_show_the_counters_by_direction_the_worst_link_and_each_publisher_by_stream()
    {
        var srt = new SrtStatus(Sessions: 2, PacketsSent: 70, PacketsReceived: 9000, PacketsLostIn: 450, PacketsLostOut: 1, PacketsRetransmittedIn: 440,
            PacketsRetransmittedOut: 3, PacketsDropped: 2, MaxRttMs: 300, MaxReceiveBufferMs: 455, MaxSendBufferMs: 20,
            Publishers: [new SrtPublisherStatus("default/live/cam", 300, 450, 440, 2, 455)]);

        var metrics = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(Status(srt), maxStreamLabels: 10)));

        Assert.Equal(2, metrics.Value("appliance_srt_sessions"));
        Assert.Equal(450, metrics.Value("appliance_srt_packets_lost_total", "direction=\"in\""));
        Assert.Equal(1, metrics.Value("appliance_srt_packets_lost_total", "direction=\"out\""));
        Assert.Equal(440, metrics.Value("appliance_srt_packets_retransmitted_total", "direction=\"in\""));
        Assert.Equal(3, metrics.Value("appliance_srt_packets_retransmitted_total", "direction=\"out\""));
        Assert.Equal(2, metrics.Value("appliance_srt_packets_dropped_total"));
        Assert.Equal(300, metrics.Value("appliance_srt_rtt_max_milliseconds"));
        Assert.Equal(455, metrics.Value("appliance_srt_receive_buffer_max_milliseconds"));
        Assert.Equal(300, metrics.Value("appliance_srt_publisher_rtt_milliseconds", "stream=\"default/live/cam\""));
        Assert.Equal(440, metrics.Value("appliance_srt_publisher_packets_retransmitted_total", "stream=\"default/live/cam\""));
        Assert.Equal("counter", metrics.Types["appliance_srt_packets_lost_total"]);
        Assert.Equal("gauge", metrics.Types["appliance_srt_rtt_max_milliseconds"]);
    }

    [Fact]
    public void Without_an_srt_listener_metrics_have_no_srt_families()
    {
        var text = System.Text.Encoding.UTF8.GetString(NodeMetrics.Render(Status(null), maxStreamLabels: 10));

        Assert.DoesNotContain("appliance_srt_", text, StringComparison.Ordinal);
    }

    private static NodeStatus Status(SrtStatus? srt) => new()
    {
        Version = "1.0.0",
        NodeId = "origin-1",
        Role = "origin",
        UptimeMs = 1000,
        Draining = false,
        Listeners = [],
        Connections = [],
        Streams = [],
        Traffic = new TrafficStatus([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
        ViewerWrites = [],
        SegmentCache = new SegmentCacheStatus(0, 0, 1, 0, 0, 0),
        Auth = new AuthStatus(0, []),
        Routes = [],
        Memory = new MemoryStatus(0, 0, 0, 0, 0),
        Runtime = new RuntimeStatus([0], TimeSpan.Zero, 1, 0, 0),
        Process = new ProcessStatus(1, 0, 0, null),
        Srt = srt,
    };
}
