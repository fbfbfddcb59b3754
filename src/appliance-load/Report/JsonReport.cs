using System.Text;
using System.Text.Json;

namespace Appliance.Load.Report;

/// <summary>The report for scripts, written field by field (no reflection, so AOT-safe).</summary>
internal static class JsonReport
{
    public static string Render(LoadSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seconds", Math.Round(summary.Seconds, 3));
            json.WriteNumber("rampPerSecond", summary.RampPerSecond);
            json.WriteBoolean("completedInTime", summary.CompletedInTime);
            json.WriteNumber("loadToolCpuSeconds", Math.Round(summary.CpuSeconds, 2));
            json.WriteNumber("exitCode", summary.ExitCode);
            json.WritePropertyName("total");
            Write(json, summary.Total);
            json.WriteStartArray("targets");
            foreach (var (url, tally) in summary.Targets)
            {
                json.WriteStartObject();
                json.WriteString("url", url);
                json.WritePropertyName("figures");
                Write(json, tally);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter json, Tally t)
    {
        json.WriteStartObject();
        json.WriteNumber("viewers", t.Viewers);
        json.WriteNumber("made", t.Made);
        json.WriteNumber("failed", t.Failed);
        json.WriteNumber("dropped", t.Dropped);
        json.WriteNumber("notStarted", t.NotStarted);
        json.WriteNumber("hung", t.Hung);
        json.WriteNumber("bytes", t.Bytes);
        json.WriteNumber("mbitPerSecond", Math.Round(t.MbitPerSecond, 3));
        json.WriteNumber("mbitPerViewer", Math.Round(t.MbitPerViewer, 4));
        json.WriteNumber("mbitSlowestViewer", Math.Round(t.MbitSlowestViewer, 4));
        WritePercentiles(json, "firstMediaMs", t.FirstMedia);
        WritePercentiles(json, "firstKeyFrameMs", t.FirstKeyFrame);
        json.WriteNumber("stalled", t.Stalled);
        json.WriteNumber("longestGapMs", Math.Round(t.LongestGapMs, 1));
        json.WriteNumber("videoFrames", t.VideoFrames);
        json.WriteStartObject("errors");
        foreach (var (error, count) in t.Errors)
        {
            json.WriteNumber(error, count);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePercentiles(Utf8JsonWriter json, string name, Percentiles p)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", p.Count);
        if (p.Count > 0)
        {
            json.WriteNumber("p50", Math.Round(p.P50, 2));
            json.WriteNumber("p99", Math.Round(p.P99, 2));
            json.WriteNumber("max", Math.Round(p.Max, 2));
        }
        else
        {
            json.WriteNull("p50");
            json.WriteNull("p99");
            json.WriteNull("max");
        }
        json.WriteEndObject();
    }
}
