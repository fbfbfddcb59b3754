using System.Globalization;
using System.Text;

namespace Appliance.Load.Report;

/// <summary>The report for people: totals, then one block per URL when there are several.</summary>
internal static class TextReport
{
    private const int MaxErrorLines = 5;

    public static string Render(LoadSummary summary)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"appliance-load: {summary.Total.Viewers} viewers, {summary.Seconds:F1} s, ramp {summary.RampPerSecond:0.#}/s, load tool CPU {summary.CpuSeconds:F1} s");
        text.AppendLine(summary.CompletedInTime ? "" : " (HARD CAP: viewers still busy were abandoned)");
        Append(text, "total", summary.Total);
        if (summary.Targets.Count > 1)
        {
            foreach (var (url, tally) in summary.Targets)
            {
                Append(text, url, tally);
            }
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string title, Tally t)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(c, $"[{title}]");
        text.AppendLine(c, $"  connections      made {t.Made}, failed {t.Failed}, dropped {t.Dropped}{Optional("not started", t.NotStarted)}{Optional("hung", t.Hung)}");
        text.AppendLine(c, $"  delivered        {t.MbitPerSecond:F1} Mbit/s total, {t.MbitPerViewer:F2} Mbit/s per viewer (slowest {t.MbitSlowestViewer:F2}), {t.Bytes / 1e6:F1} MB");
        text.AppendLine(c, $"  first media      {Ms(t.FirstMedia)}");
        text.AppendLine(c, $"  first keyframe   {Ms(t.FirstKeyFrame)}");
        text.AppendLine(c, $"  stalled (>=2 s)  {t.Stalled} viewers, longest gap {t.LongestGapMs:F0} ms");
        text.AppendLine(c, $"  video frames     {t.VideoFrames}{(t.Made > 0 ? $" ({(double)t.VideoFrames / t.Made:F0} per viewer)" : "")}");
        foreach (var (error, count) in t.Errors.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  error x{count,-6} {error}");
        }
        if (t.Errors.Count > MaxErrorLines)
        {
            text.AppendLine(c, $"  ({t.Errors.Count - MaxErrorLines} more kinds of error)");
        }
    }

    private static string Optional(string name, int count) =>
        count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {name} {count}") : "";

    private static string Ms(Percentiles p) => p.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {p.P50:F1} ms, p99 {p.P99:F1} ms, max {p.Max:F1} ms ({p.Count} viewers)");
}
