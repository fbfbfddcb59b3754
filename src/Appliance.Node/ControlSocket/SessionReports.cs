using Appliance.Control.Contract;
using Appliance.Core.Time;
using Appliance.Node.Hosting;
using Appliance.Node.Sessions;

namespace Appliance.Node.ControlSocket;

/// <summary>The sessions as the control protocol shows them (<c>appliancectl sessions</c>), filtered as asked.</summary>
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
            });
        }
        reports.Sort((a, b) => a.Id.CompareTo(b.Id));
        return reports;
    }

    private static bool Matches(SessionBase session, ControlRequest filter) =>
        (filter.Stream is null || StreamReports.StreamMatches(session.StreamPath, filter.Stream)) &&
        (filter.Protocol is null || session.Protocol.StartsWith(filter.Protocol, StringComparison.Ordinal)) &&
        (filter.Client is null || session.Client.StartsWith(filter.Client, StringComparison.Ordinal));
}
