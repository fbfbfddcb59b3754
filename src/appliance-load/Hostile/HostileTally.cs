using Appliance.Load.Report;

namespace Appliance.Load.Hostile;

/// <summary>The figures of a set of hostile connections (all of them, or one kind's).</summary>
internal sealed class HostileTally
{
    public int Connections { get; private init; }

    public int NotStarted { get; private init; }

    public int ConnectFailed { get; private init; }

    public int ClosedByServer { get; private init; }

    /// <summary>Of those closed by the server, closed by a reset rather than a FIN.</summary>
    public int Reset { get; private init; }

    public int LeftOpen { get; private init; }

    /// <summary>From the start of the connect to the server's close, over the connections it closed.</summary>
    public Percentiles ClosedAfter { get; private init; }

    public long BytesReceived { get; private init; }

    /// <summary>What the server answered before closing, grouped, most frequent first.</summary>
    public List<KeyValuePair<string, int>> Replies { get; private init; } = [];

    /// <summary>Why connects failed, grouped.</summary>
    public List<KeyValuePair<string, int>> Errors { get; private init; } = [];

    public static HostileTally Of(IEnumerable<HostileResult> results)
    {
        int count = 0, notStarted = 0, failed = 0, closed = 0, reset = 0, leftOpen = 0;
        long bytes = 0;
        var closedAfter = new List<double>();
        var replies = new Dictionary<string, int>();
        var errors = new Dictionary<string, int>();
        foreach (var result in results)
        {
            count++;
            bytes += result.BytesReceived;
            switch (result.Outcome)
            {
                case HostileOutcome.NotStarted:
                    notStarted++;
                    continue;
                case HostileOutcome.ConnectFailed:
                    failed++;
                    errors[result.Error ?? "?"] = errors.GetValueOrDefault(result.Error ?? "?") + 1;
                    continue;
                case HostileOutcome.ClosedByServer:
                    closed++;
                    reset += result.Reset ? 1 : 0;
                    closedAfter.Add(result.ElapsedMs);
                    break;
                default:
                    leftOpen++;
                    break;
            }
            replies[result.Reply] = replies.GetValueOrDefault(result.Reply) + 1;
        }
        return new HostileTally
        {
            Connections = count,
            NotStarted = notStarted,
            ConnectFailed = failed,
            ClosedByServer = closed,
            Reset = reset,
            LeftOpen = leftOpen,
            ClosedAfter = Percentiles.Of(closedAfter),
            BytesReceived = bytes,
            Replies = HlsTally.Sorted(replies),
            Errors = HlsTally.Sorted(errors),
        };
    }
}
