using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Load.Report;

namespace Appliance.Load.Hostile;

/// <summary>The hostile run's report, as text for people or JSON for scripts (written field by field: AOT-safe).</summary>
internal static class HostileReport
{
    private const int MaxReplyLines = 3;

    public static string Text(HostileSummary summary)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"appliance-load: {summary.Total.Connections} hostile connections to {string.Join(", ", summary.Targets)}, at most {summary.Concurrency} at once, {summary.Seconds:F1} s, load tool CPU {summary.CpuSeconds:F1} s");
        text.AppendLine(summary.CompletedInTime ? "" : " (HARD CAP: connections still busy were abandoned)");
        text.AppendLine();
        Append(text, "total", summary.Total, summary.WaitSeconds);
        foreach (var (kind, tally) in summary.Kinds)
        {
            text.AppendLine();
            Append(text, kind.Name(), tally, summary.WaitSeconds);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string title, HostileTally t, double wait)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"[hostile: {title}]");
        text.AppendLine(c, $"  connections      {t.Connections}: closed by the server {t.ClosedByServer} ({t.Reset} by reset), left open {t.LeftOpen} (not closed within {wait:0.#} s), connect failed {t.ConnectFailed}, not started {t.NotStarted}");
        var closed = t.ClosedAfter;
        text.AppendLine(closed.Count == 0
            ? "  closed after     none"
            : string.Create(c, $"  closed after     p50 {closed.P50:F1} ms, p99 {closed.P99:F1} ms, max {closed.Max:F1} ms (from the connect)"));
        foreach (var (reply, count) in t.Replies.Take(MaxReplyLines))
        {
            text.AppendLine(c, $"  server sent x{count,-4} {reply}");
        }
        foreach (var (error, count) in t.Errors.Take(MaxReplyLines))
        {
            text.AppendLine(c, $"  connect x{count,-8} {error}");
        }
    }

    public static string Json(HostileSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seconds", Math.Round(summary.Seconds, 3));
            json.WriteNumber("concurrency", summary.Concurrency);
            json.WriteNumber("waitSeconds", summary.WaitSeconds);
            json.WriteBoolean("completedInTime", summary.CompletedInTime);
            json.WriteNumber("loadToolCpuSeconds", Math.Round(summary.CpuSeconds, 2));
            json.WriteNumber("exitCode", summary.ExitCode);
            json.WritePropertyName("hostile");
            Write(json, summary.Total);
            json.WriteStartObject("kinds");
            foreach (var (kind, tally) in summary.Kinds)
            {
                json.WritePropertyName(kind.Key());
                Write(json, tally);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter json, HostileTally t)
    {
        json.WriteStartObject();
        json.WriteNumber("connections", t.Connections);
        json.WriteNumber("closedByServer", t.ClosedByServer);
        json.WriteNumber("reset", t.Reset);
        json.WriteNumber("leftOpen", t.LeftOpen);
        json.WriteNumber("connectFailed", t.ConnectFailed);
        json.WriteNumber("notStarted", t.NotStarted);
        json.WriteNumber("bytesReceived", t.BytesReceived);
        json.WriteStartObject("closedAfterMs");
        json.WriteNumber("count", t.ClosedAfter.Count);
        if (t.ClosedAfter.Count > 0)
        {
            json.WriteNumber("p50", Math.Round(t.ClosedAfter.P50, 2));
            json.WriteNumber("p99", Math.Round(t.ClosedAfter.P99, 2));
            json.WriteNumber("max", Math.Round(t.ClosedAfter.Max, 2));
        }
        json.WriteEndObject();
        WriteKinds(json, "replies", t.Replies);
        WriteKinds(json, "connectErrors", t.Errors);
        json.WriteEndObject();
    }

    private static void WriteKinds(Utf8JsonWriter json, string name, List<KeyValuePair<string, int>> kinds)
    {
        json.WriteStartObject(name);
        foreach (var (kind, count) in kinds)
        {
            json.WriteNumber(kind, count);
        }
        json.WriteEndObject();
    }
}
