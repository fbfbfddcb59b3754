namespace Appliance.Load.Hostile;

/// <summary>Everything the hostile report shows: the run, the totals, and a tally per kind.</summary>
internal sealed class HostileSummary
{
    public required double Seconds { get; init; }

    public required int Concurrency { get; init; }

    public required double WaitSeconds { get; init; }

    public required bool CompletedInTime { get; init; }

    public required double CpuSeconds { get; init; }

    /// <summary>host:port (protocol) of each listener attacked.</summary>
    public required List<string> Targets { get; init; }

    public required HostileTally Total { get; init; }

    public required List<KeyValuePair<HostileKind, HostileTally>> Kinds { get; init; }

    /// <summary>0: the server closed every connection; 1: some were left open, failed to connect or never started; 3: hard cap.</summary>
    public int ExitCode =>
        !CompletedInTime ? 3
        : Total.ClosedByServer == Total.Connections ? 0
        : 1;

    public static HostileSummary From(HostileRun run, bool completedInTime) => new()
    {
        Seconds = run.Elapsed.TotalSeconds,
        Concurrency = run.Concurrency,
        WaitSeconds = run.Wait.TotalSeconds,
        CompletedInTime = completedInTime,
        CpuSeconds = Environment.CpuUsage.TotalTime.TotalSeconds,
        Targets = run.Results.Select(r => r.Target).Distinct().ToList(),
        Total = HostileTally.Of(run.Results),
        Kinds = run.Kinds.Select(k => new KeyValuePair<HostileKind, HostileTally>(k, HostileTally.Of(run.Results.Where(r => r.Kind == k)))).ToList(),
    };
}
