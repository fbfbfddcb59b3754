using Appliance.Control.Contract;
using Appliance.Core.Time;
using Appliance.Node.Hosting;
using Appliance.Node.Sessions;

namespace Appliance.Node.ControlSocket;

/// <summary>The sessions as the control protocol shows them (<c>appliancectl sessions</c>): connections and HLS players, filtered as asked.</summary>
internal static class SessionReports
{
    public static List<SessionReport> Sessions(ServerContext context, ControlRequest filter)
    {
        var now = MonotonicClock.NowMs;
        var reports = new List<SessionReport>();
        foreach (var session in context.Sessions.Sessions)
        {
            if (!Matches(session, filter))
            {
                continue;
            }
            reports.Add(new SessionReport
            {
                Id = session.Id,
                Protocol = session.Protocol,
                Client = session.Client,
                Stream = session.StreamPath,
                AgeSeconds = (now - session.StartedMs) / 1000,
                BytesIn = session.BytesIn,
                BytesOut = session.BytesOut,
                Srt = session is Srt.SrtServerSession srt && srt.Stats is { } stats ? Srt(stats) : null,
            });
        }
        foreach (var session in context.HlsSessions.Sessions)
        {
            if (!Matches("hls", session.Client, session.StreamPath, filter))
            {
                continue;
            }
            reports.Add(new SessionReport
            {
                Id = session.Id,
                Protocol = "hls",
                Client = session.Client,
                Stream = session.StreamPath,
                AgeSeconds = (now - session.StartedMs) / 1000,
                BytesOut = session.BytesOut,
            });
        }
        reports.Sort((a, b) => a.Id.CompareTo(b.Id));
        return reports;
    }

    private static SrtSessionReport Srt(Transport.Srt.SrtStats s) => new()
    {
        RttMs = s.RttMs,
        BandwidthMbps = s.BandwidthMbps,
        PacketsSent = s.PacketsSent,
        PacketsReceived = s.PacketsReceived,
        PacketsSentLost = s.PacketsSentLost,
        PacketsReceivedLost = s.PacketsReceivedLost,
        PacketsRetransmitted = s.PacketsRetransmitted,
        PacketsReceivedRetransmitted = s.PacketsReceivedRetransmitted,
        PacketsDropped = s.PacketsDropped,
        SendBufferMs = s.SendBufferMs,
        ReceiveBufferMs = s.ReceiveBufferMs,
    };

    private static bool Matches(SessionBase session, ControlRequest filter) =>
        Matches(session.Protocol, session.Client, session.StreamPath, filter);

    private static bool Matches(string protocol, string client, string stream, ControlRequest filter) =>
        (filter.Stream is null || StreamReports.StreamMatches(stream, filter.Stream)) &&
        (filter.Protocol is null || protocol.StartsWith(filter.Protocol, StringComparison.Ordinal)) &&
        (filter.Client is null || client.StartsWith(filter.Client, StringComparison.Ordinal));
}
