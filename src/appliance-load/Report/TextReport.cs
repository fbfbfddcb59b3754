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
        text.Append(CultureInfo.InvariantCulture, $"appliance-load: {summary.Total.Viewers} viewers, {summary.Seconds:F1} s, ramp {summary.RampPerSecond:0.#}/s{(summary.ChurnPerSecond > 0 ? $", churn {summary.ChurnPerSecond}/s" : "")}, load tool CPU {summary.CpuSeconds:F1} s");
        text.AppendLine(summary.CompletedInTime ? "" : " (HARD CAP: viewers still busy were abandoned)");
        if (summary.Publisher is { } publisher)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"publisher: {publisher.VideoFrames} video frames stamped, {publisher.Loops} loops of the file done, {publisher.Bytes / 1e6:F1} MB sent, {publisher.MaxLateMs:F0} ms late at most{(publisher.Error is null ? "" : $"; FAILED: {publisher.Error}")}");
        }
        if (summary.Publisher is not null && summary.Total.Viewers == 0)
        {
            // Publish only: there are no viewers to report on.
            return text.ToString();
        }
        Append(text, "total", summary.Total);
        if (summary.Parts is { } parts)
        {
            AppendParts(text, parts);
        }
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
        text.AppendLine(c, $"  connections      made {t.Made}, failed {t.Failed}, dropped {t.Dropped}{Optional("churned", t.Churned)}{Optional("not started", t.NotStarted)}{Optional("hung", t.Hung)}");
        text.AppendLine(c, $"  delivered        {t.MbitPerSecond:F1} Mbit/s total, {t.MbitPerViewer:F2} Mbit/s per viewer (slowest {t.MbitSlowestViewer:F2}), {t.Bytes / 1e6:F1} MB");
        text.AppendLine(c, $"  first media      {Ms(t.FirstMedia)}");
        text.AppendLine(c, $"  first keyframe   {Ms(t.FirstKeyFrame)}");
        if (t.FirstKeyFrameAfterRequest.Count > 0)
        {
            text.AppendLine(c, $"  after request    {Ms(t.FirstKeyFrameAfterRequest)}: from the play command or GET to the first keyframe");
        }
        if (t.FirstByte.Count > 0)
        {
            text.AppendLine(c, $"  first byte       {Ms(t.FirstByte)}");
        }
        var stallRule = StallRule(t);
        text.AppendLine(c, $"  stalled          {t.Stalled} viewers, {t.Stalls} stalls, longest gap {t.LongestGapMs:F0} ms ({stallRule})");
        if (t.PlayingGapPerViewer.Count > 0)
        {
            text.AppendLine(c, $"  playing gaps     {Ms(t.PlayingGapPerViewer)}: each viewer's longest time without media once it flowed");
        }
        text.AppendLine(c, $"  video frames     {t.VideoFrames}{(t.Made > 0 ? $" ({(double)t.VideoFrames / t.Made:F0} per viewer)" : "")}");
        if (t.Latency is { } latency)
        {
            AppendLatency(text, latency);
        }
        if (t.Ts is { } ts)
        {
            AppendTs(text, ts);
        }
        if (t.Hls is { } hls)
        {
            AppendHls(text, hls);
        }
        if (t.Cmaf is { } cmaf)
        {
            AppendCmaf(text, cmaf);
        }
        foreach (var (error, count) in t.Errors.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  error x{count,-6} {error}");
        }
        if (t.Errors.Count > MaxErrorLines)
        {
            text.AppendLine(c, $"  ({t.Errors.Count - MaxErrorLines} more kinds of error)");
        }
    }

    private static void AppendLatency(StringBuilder text, LatencyTally l)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"  glass to glass   {Ms(l.All, "frames")}: publisher's send to the viewer's receipt");
        text.AppendLine(c, $"  steady           {Ms(l.Steady, "frames")}: the same from 5 s after each viewer's first stamp (the join burst left out)");
        text.AppendLine(c, $"  viewer p99       {Ms(l.ViewerP99)}: each viewer's own p99");
        text.AppendLine(c, $"  first 5 s        {Ms(l.First5s)}: each viewer's mean latency over its first 5 s of stamps");
        text.AppendLine(c, $"  last 5 s         {Ms(l.Last5s)}: and over its last 5 s (the trend)");
        text.AppendLine(c, $"  stamps           {l.ViewersWithSamples} of {l.Viewers} viewers got them; not increasing {l.NotIncreasing}, from the future {l.FromTheFuture}");
    }

    private static void AppendTs(StringBuilder text, TsTally ts)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"  ts packets       {ts.Packets}, sync lost {ts.SyncLosses} times ({ts.SkippedBytes} bytes skipped), continuity errors {ts.ContinuityErrors}, audio PES {ts.AudioPes}{Optional("viewers without PAT/PMT", ts.WithoutPsi)}");
    }

    private static void AppendHls(StringBuilder text, HlsTally h)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"  hls requests     {h.PlaylistRequests} playlists, {h.SegmentRequests} segments, on {h.Connections} TCP connections ({h.Viewers} viewers)");
        text.AppendLine(c, $"  hls failures     {h.Failures}: non-200 {h.NonOkResponses}, timeouts {h.Timeouts}, connection errors {h.ConnectionErrors}");
        text.AppendLine(c, $"  hls segments     {h.Segments} in, {h.SegmentBytes / 1e6:F1} MB, {h.MediaSeconds:F0} s of media ({(h.Viewers > 0 ? h.MediaSeconds / h.Viewers : 0):F1} s per viewer); skipped {h.SkippedSegments}, malformed {h.MalformedSegments}{Optional("first packet not a PAT", (int)h.NotStartingWithPat)}");
        text.AppendLine(c, $"  segment time     {Ms(h.SegmentTime, "segments")}");
        text.AppendLine(c, $"  first playlist   {Ms(h.FirstPlaylist)}");
        text.AppendLine(c, $"  first segment    {Ms(h.FirstSegment)}");
        text.AppendLine(c, $"  hls stalls       {h.StalledViewers} viewers, {h.Stalls} stalls, {h.StalledSeconds:F1} s in all, longest {h.LongestStallMs:F0} ms");
        if (h.LowestBuffer.Count > 0)
        {
            text.AppendLine(c, $"  lowest buffer    per viewer p50 {h.LowestBuffer.P50:F0} ms, lowest of all {h.LowestBufferMinMs:F0} ms (media buffered when a segment arrived)");
        }
        if (h.EndedViewers > 0)
        {
            text.AppendLine(c, $"  playlist ended   {h.EndedViewers} viewers saw #EXT-X-ENDLIST");
        }
        foreach (var (kind, count) in h.FailureKinds.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  first failure x{count,-4} {kind}");
        }
        foreach (var (kind, count) in h.MalformedKinds.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  malformed x{count,-8} {kind}");
        }
    }

    private static string StallRule(Tally t)
    {
        var started = t.Viewers - t.NotStarted;
        var rules = new List<string>();
        if ((t.Hls?.Viewers ?? 0) + (t.Cmaf?.Viewers ?? 0) < started)
        {
            rules.Add("no media for 2 s");
        }
        if (t.Hls is not null)
        {
            rules.Add(rules.Count == 0 && t.Cmaf is null ? "the player's buffer ran out" : "HLS: the player's buffer ran out");
        }
        if (t.Cmaf is not null)
        {
            rules.Add($"{(rules.Count == 0 ? "" : "LL-HLS, DASH: ")}a track went more than a target duration without a new chunk (two for whole DASH segments)");
        }
        return string.Join("; ", rules);
    }

    private static void AppendCmaf(StringBuilder text, CmafTally m)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"  cmaf players     {m.Viewers}, low latency {m.LowLatencyViewers}, on {m.Connections} TCP connections");
        text.AppendLine(c, $"  cmaf requests    {m.ManifestRequests} playlists/MPDs ({m.BlockingReloads} blocking reloads), {m.MediaRequests} parts/segments/inits ({m.HintRequests} for preload hints)");
        text.AppendLine(c, $"  cmaf failures    {m.Failures}: non-200 {m.NonOkResponses}, timeouts {m.Timeouts}, connection errors {m.ConnectionErrors}{Optional("hinted parts never made (404)", (int)m.HintsNotMade)}");
        text.AppendLine(c, $"  cmaf media       {m.Fragments} chunks in, {m.MediaBytes / 1e6:F1} MB; skipped {m.Skipped}, malformed {m.Malformed}");
        text.AppendLine(c, $"  first manifest   {Ms(m.FirstManifest)}");
        text.AppendLine(c, $"  cmaf stalls      {m.StalledViewers} viewers, {m.Stalls} stalls, longest gap {m.LongestGapMs:F0} ms");
        foreach (var (kind, count) in m.FailureKinds.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  first failure x{count,-4} {kind}");
        }
        foreach (var (kind, count) in m.MalformedKinds.Take(MaxErrorLines))
        {
            text.AppendLine(c, $"  malformed x{count,-8} {kind}");
        }
    }

    private static void AppendParts(StringBuilder text, PartClockFigures p)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("[held responses: from a part's first response, to any player, to each response held for it]");
        text.AppendLine(c, $"  last per part    {Ms(p.LastPerPart, "parts")}");
        foreach (var kind in Enum.GetValues<HeldKind>())
        {
            var i = (int)kind;
            if (p.Held[i] + p.AtOnce[i] == 0)
            {
                continue;
            }
            text.AppendLine(c, $"  {KindName(kind),-16} held {p.Held[i]}, lag {Ms(p.Lag[i], "responses")}; answered at once {p.AtOnce[i]}");
            if (kind != HeldKind.Chunk && p.Answer[i].Count > 0)
            {
                text.AppendLine(c, $"  {"",-16} request to response of the held ones {Ms(p.Answer[i], "responses")}");
            }
        }
        if (p.Late > 0)
        {
            text.AppendLine(c, $"  too late         {p.Late} responses came after their part was settled (5 s after its first)");
        }
    }

    internal static string KindName(HeldKind kind) => kind switch
    {
        HeldKind.Playlist => "blocking reload",
        HeldKind.Part => "LL-HLS part",
        _ => "LL-DASH chunk",
    };

    private static string Optional(string name, int count) =>
        count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {name} {count}") : "";

    private static string Ms(Percentiles p, string of = "viewers") => p.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {p.P50:F1} ms, p99 {p.P99:F1} ms, max {p.Max:F1} ms ({p.Count} {of})");
}
