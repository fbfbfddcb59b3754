using Appliance.Node.Hosting;

namespace Appliance.Node.Metrics;

/// <summary>
/// SRT on /metrics (only with srt.listen on): packet counters across every SRT session since the
/// start (in = to this node, a publisher's link; out = from it, a player's), the worst open
/// session's RTT and buffers, and each publisher's link by stream (bounded like the streams' labels).
/// </summary>
internal static class SrtMetrics
{
    public static void Write(PrometheusWriter metrics, SrtStatus? srt)
    {
        if (srt is null)
        {
            return;
        }
        metrics.Single("appliance_srt_sessions", "gauge", "Open SRT sessions (publishers and players).", srt.Sessions);
        metrics.Single("appliance_srt_packets_sent_total", "counter", "Packets SRT sessions sent, retransmissions included.", srt.PacketsSent);
        metrics.Single("appliance_srt_packets_received_total", "counter", "Packets SRT sessions received.", srt.PacketsReceived);
        metrics.Family("appliance_srt_packets_lost_total", "counter", "Packets SRT found lost: in = missing on arrival here, out = reported lost by the peer.");
        metrics.Sample("appliance_srt_packets_lost_total", srt.PacketsLostIn, ("direction", "in"));
        metrics.Sample("appliance_srt_packets_lost_total", srt.PacketsLostOut, ("direction", "out"));
        metrics.Family("appliance_srt_packets_retransmitted_total", "counter", "Retransmitted packets: in = received here (a publisher's repairs), out = sent again by this node.");
        metrics.Sample("appliance_srt_packets_retransmitted_total", srt.PacketsRetransmittedIn, ("direction", "in"));
        metrics.Sample("appliance_srt_packets_retransmitted_total", srt.PacketsRetransmittedOut, ("direction", "out"));
        metrics.Single("appliance_srt_packets_dropped_total", "counter", "Packets SRT gave up on for being too late to play, either side.", srt.PacketsDropped);
        metrics.Single("appliance_srt_rtt_max_milliseconds", "gauge", "The largest round-trip time among open SRT sessions (0 without one).", srt.MaxRttMs);
        metrics.Single("appliance_srt_receive_buffer_max_milliseconds", "gauge", "The fullest receive buffer among open SRT sessions, in ms of media.", srt.MaxReceiveBufferMs);
        metrics.Single("appliance_srt_send_buffer_max_milliseconds", "gauge", "The fullest send buffer among open SRT sessions, in ms of media.", srt.MaxSendBufferMs);
        metrics.Family("appliance_srt_publisher_rtt_milliseconds", "gauge", "Round-trip time of a stream's SRT publisher.");
        foreach (var publisher in srt.Publishers)
        {
            metrics.Sample("appliance_srt_publisher_rtt_milliseconds", publisher.RttMs, ("stream", publisher.Stream));
        }
        metrics.Family("appliance_srt_publisher_packets_lost_total", "counter", "Packets of a stream's SRT publisher found missing on arrival (since it connected).");
        foreach (var publisher in srt.Publishers)
        {
            metrics.Sample("appliance_srt_publisher_packets_lost_total", publisher.PacketsLost, ("stream", publisher.Stream));
        }
        metrics.Family("appliance_srt_publisher_packets_retransmitted_total", "counter", "Retransmitted packets a stream's SRT publisher sent that arrived (since it connected).");
        foreach (var publisher in srt.Publishers)
        {
            metrics.Sample("appliance_srt_publisher_packets_retransmitted_total", publisher.PacketsRetransmitted, ("stream", publisher.Stream));
        }
        metrics.Family("appliance_srt_publisher_packets_dropped_total", "counter", "Packets of a stream's SRT publisher that came too late to play (since it connected).");
        foreach (var publisher in srt.Publishers)
        {
            metrics.Sample("appliance_srt_publisher_packets_dropped_total", publisher.PacketsDropped, ("stream", publisher.Stream));
        }
        metrics.Family("appliance_srt_publisher_receive_buffer_milliseconds", "gauge", "Media held in a stream's SRT publisher's receive buffer, in ms.");
        foreach (var publisher in srt.Publishers)
        {
            metrics.Sample("appliance_srt_publisher_receive_buffer_milliseconds", publisher.ReceiveBufferMs, ("stream", publisher.Stream));
        }
    }
}
