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
            json.WriteNumber("churnPerSecond", summary.ChurnPerSecond);
            json.WriteBoolean("completedInTime", summary.CompletedInTime);
            json.WriteNumber("loadToolCpuSeconds", Math.Round(summary.CpuSeconds, 2));
            json.WriteNumber("exitCode", summary.ExitCode);
            if (summary.Publisher is { } publisher)
            {
                json.WriteStartObject("publisher");
                json.WriteNumber("videoFrames", publisher.VideoFrames);
                json.WriteNumber("loops", publisher.Loops);
                json.WriteNumber("bytes", publisher.Bytes);
                json.WriteNumber("maxLateMs", Math.Round(publisher.MaxLateMs, 1));
                json.WriteString("error", publisher.Error);
                json.WriteEndObject();
            }
            json.WritePropertyName("total");
            Write(json, summary.Total);
            if (summary.Parts is { } parts)
            {
                WriteParts(json, parts);
            }
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
        json.WriteNumber("churned", t.Churned);
        json.WriteNumber("notStarted", t.NotStarted);
        json.WriteNumber("hung", t.Hung);
        json.WriteNumber("bytes", t.Bytes);
        json.WriteNumber("mbitPerSecond", Math.Round(t.MbitPerSecond, 3));
        json.WriteNumber("mbitPerViewer", Math.Round(t.MbitPerViewer, 4));
        json.WriteNumber("mbitSlowestViewer", Math.Round(t.MbitSlowestViewer, 4));
        WritePercentiles(json, "firstMediaMs", t.FirstMedia);
        WritePercentiles(json, "firstKeyFrameMs", t.FirstKeyFrame);
        WritePercentiles(json, "firstKeyFrameAfterRequestMs", t.FirstKeyFrameAfterRequest);
        WritePercentiles(json, "firstByteMs", t.FirstByte);
        json.WriteNumber("stalled", t.Stalled);
        json.WriteNumber("stalls", t.Stalls);
        json.WriteNumber("longestGapMs", Math.Round(t.LongestGapMs, 1));
        WritePercentiles(json, "playingGapPerViewerMs", t.PlayingGapPerViewer);
        json.WriteNumber("videoFrames", t.VideoFrames);
        WriteKinds(json, "errors", t.Errors);
        if (t.Latency is { } latency)
        {
            json.WriteStartObject("latency");
            json.WriteNumber("viewers", latency.Viewers);
            json.WriteNumber("viewersWithSamples", latency.ViewersWithSamples);
            WritePercentiles(json, "glassToGlassMs", latency.All);
            WritePercentiles(json, "steadyMs", latency.Steady);
            WritePercentiles(json, "viewerP50Ms", latency.ViewerP50);
            WritePercentiles(json, "viewerP99Ms", latency.ViewerP99);
            WritePercentiles(json, "viewerMaxMs", latency.ViewerMax);
            WritePercentiles(json, "first5sMeanMs", latency.First5s);
            WritePercentiles(json, "last5sMeanMs", latency.Last5s);
            json.WriteNumber("notIncreasing", latency.NotIncreasing);
            json.WriteNumber("fromTheFuture", latency.FromTheFuture);
            json.WriteEndObject();
        }
        if (t.Ts is { } ts)
        {
            json.WriteStartObject("ts");
            json.WriteNumber("packets", ts.Packets);
            json.WriteNumber("syncLosses", ts.SyncLosses);
            json.WriteNumber("skippedBytes", ts.SkippedBytes);
            json.WriteNumber("continuityErrors", ts.ContinuityErrors);
            json.WriteNumber("audioPes", ts.AudioPes);
            json.WriteNumber("viewersWithoutPsi", ts.WithoutPsi);
            json.WriteEndObject();
        }
        if (t.Hls is { } hls)
        {
            WriteHls(json, hls);
        }
        if (t.Cmaf is { } cmaf)
        {
            WriteCmaf(json, cmaf);
        }
        json.WriteEndObject();
    }

    private static void WriteHls(Utf8JsonWriter json, HlsTally h)
    {
        json.WriteStartObject("hls");
        json.WriteNumber("viewers", h.Viewers);
        json.WriteNumber("playlistRequests", h.PlaylistRequests);
        json.WriteNumber("segmentRequests", h.SegmentRequests);
        json.WriteNumber("connections", h.Connections);
        json.WriteNumber("failures", h.Failures);
        json.WriteNumber("nonOkResponses", h.NonOkResponses);
        json.WriteNumber("timeouts", h.Timeouts);
        json.WriteNumber("connectionErrors", h.ConnectionErrors);
        json.WriteNumber("segments", h.Segments);
        json.WriteNumber("segmentBytes", h.SegmentBytes);
        json.WriteNumber("mediaSeconds", Math.Round(h.MediaSeconds, 3));
        json.WriteNumber("skippedSegments", h.SkippedSegments);
        json.WriteNumber("malformedSegments", h.MalformedSegments);
        json.WriteNumber("segmentsNotStartingWithPat", h.NotStartingWithPat);
        WritePercentiles(json, "segmentMs", h.SegmentTime);
        WritePercentiles(json, "firstPlaylistMs", h.FirstPlaylist);
        WritePercentiles(json, "firstSegmentMs", h.FirstSegment);
        WritePercentiles(json, "lowestBufferMs", h.LowestBuffer);
        json.WriteNumber("stalledViewers", h.StalledViewers);
        json.WriteNumber("stalls", h.Stalls);
        json.WriteNumber("stalledSeconds", Math.Round(h.StalledSeconds, 3));
        json.WriteNumber("longestStallMs", Math.Round(h.LongestStallMs, 1));
        json.WriteNumber("endedViewers", h.EndedViewers);
        WriteKinds(json, "firstFailures", h.FailureKinds);
        WriteKinds(json, "malformed", h.MalformedKinds);
        json.WriteEndObject();
    }

    private static void WriteCmaf(Utf8JsonWriter json, CmafTally m)
    {
        json.WriteStartObject("cmaf");
        json.WriteNumber("viewers", m.Viewers);
        json.WriteNumber("lowLatencyViewers", m.LowLatencyViewers);
        json.WriteNumber("connections", m.Connections);
        json.WriteNumber("manifestRequests", m.ManifestRequests);
        json.WriteNumber("blockingReloads", m.BlockingReloads);
        json.WriteNumber("mediaRequests", m.MediaRequests);
        json.WriteNumber("hintRequests", m.HintRequests);
        json.WriteNumber("failures", m.Failures);
        json.WriteNumber("nonOkResponses", m.NonOkResponses);
        json.WriteNumber("timeouts", m.Timeouts);
        json.WriteNumber("connectionErrors", m.ConnectionErrors);
        json.WriteNumber("hintsNotMade", m.HintsNotMade);
        json.WriteNumber("chunks", m.Fragments);
        json.WriteNumber("mediaBytes", m.MediaBytes);
        json.WriteNumber("skipped", m.Skipped);
        json.WriteNumber("malformed", m.Malformed);
        WritePercentiles(json, "firstManifestMs", m.FirstManifest);
        json.WriteNumber("stalledViewers", m.StalledViewers);
        json.WriteNumber("stalls", m.Stalls);
        json.WriteNumber("longestGapMs", Math.Round(m.LongestGapMs, 1));
        WriteKinds(json, "firstFailures", m.FailureKinds);
        WriteKinds(json, "malformedKinds", m.MalformedKinds);
        json.WriteEndObject();
    }

    private static void WriteParts(Utf8JsonWriter json, PartClockFigures p)
    {
        json.WriteStartObject("heldResponses");
        json.WriteNumber("parts", p.Parts);
        WritePercentiles(json, "lastPerPartMs", p.LastPerPart);
        foreach (var kind in Enum.GetValues<HeldKind>())
        {
            var i = (int)kind;
            json.WriteStartObject(kind switch { HeldKind.Playlist => "blockingReload", HeldKind.Part => "part", _ => "chunk" });
            json.WriteNumber("held", p.Held[i]);
            json.WriteNumber("answeredAtOnce", p.AtOnce[i]);
            WritePercentiles(json, "lagMs", p.Lag[i]);
            WritePercentiles(json, "requestToResponseMs", p.Answer[i]);
            json.WriteEndObject();
        }
        json.WriteNumber("late", p.Late);
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
