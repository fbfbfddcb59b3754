using Appliance.Load.Publish;
using Appliance.Load.Run;

namespace Appliance.Load.Report;

/// <summary>Everything the report shows: the run, the totals, and a tally per URL.</summary>
internal sealed class LoadSummary
{
    public required double Seconds { get; init; }

    public required double RampPerSecond { get; init; }

    /// <summary>Viewers stopped and started each second after the ramp (--churn); 0 without churn.</summary>
    public int ChurnPerSecond { get; init; }

    public required bool CompletedInTime { get; init; }

    /// <summary>CPU the load tool itself used: on a shared machine it competes with the server.</summary>
    public required double CpuSeconds { get; init; }

    public required Tally Total { get; init; }

    public required List<KeyValuePair<string, Tally>> Targets { get; init; }

    /// <summary>LL-HLS and DASH players: when the node answered each part (null without such players).</summary>
    public PartClockFigures? Parts { get; init; }

    /// <summary>The stamped publisher (null without --publish).</summary>
    public PublisherFigures? Publisher { get; init; }

    /// <summary>0: everyone played to the end; 1: some failed, dropped or never started, or the publisher failed; 3: hard cap.</summary>
    public int ExitCode =>
        !CompletedInTime ? 3
        : Publisher?.Error is not null ? 1
        : Publisher is not null && Total.Viewers == 0 ? 0
        : Total.Failed + Total.Dropped + Total.NotStarted > 0 || Total.Made == 0 ? 1
        : 0;

    public static LoadSummary From(LoadRun run, bool completedInTime, PublisherFigures? publisher = null)
    {
        var seconds = run.Elapsed.TotalSeconds;
        var targets = new List<KeyValuePair<string, Tally>>();
        for (var i = 0; i < run.Urls.Count; i++)
        {
            var target = i;
            targets.Add(new(run.Urls[i].Text, Tally.Of(run.Viewers.Where(v => v.Target == target), seconds)));
        }
        return new LoadSummary
        {
            Seconds = seconds,
            RampPerSecond = run.RampPerSecond,
            ChurnPerSecond = run.ChurnPerSecond,
            CompletedInTime = completedInTime,
            CpuSeconds = Environment.CpuUsage.TotalTime.TotalSeconds,
            Total = Tally.Of(run.Viewers, seconds),
            Targets = targets,
            Parts = run.PartFigures,
            Publisher = publisher,
        };
    }
}
