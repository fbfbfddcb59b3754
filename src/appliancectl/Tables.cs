using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Control.Contract;

namespace Appliance.Ctl;

/// <summary>Human-readable views of the replies: aligned columns, sizes and rates with units.</summary>
internal static class Tables
{
    public static string Status(StatusReport status)
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name,-16}{value}\n");
        Line("version", status.Version);
        Line("node", $"{status.NodeId} ({status.Role})");
        Line("state", status.State);
        Line("uptime", Duration(status.UptimeSeconds));
        Line("config", status.ConfigPath ?? "embedded default");
        foreach (var listener in status.Listeners)
        {
            Line($"listen {listener.Name}", listener.Address);
        }
        foreach (var certificate in status.Certificates)
        {
            var days = (certificate.NotAfter - DateTime.UtcNow).TotalDays;
            Line($"tls {certificate.Name}", string.Create(CultureInfo.InvariantCulture,
                $"{certificate.Path}, expires {certificate.NotAfter:yyyy-MM-dd HH:mm} UTC ({(days < 0 ? "expired" : $"in {(int)days} days")})"));
        }
        if (status.Directory != "off")
        {
            Line("directory", $"{status.Directory}, redis {status.DirectoryRedis}, {status.DirectoryRegistered} stream(s) registered");
        }
        Line("streams", status.Streams.ToString(CultureInfo.InvariantCulture));
        if (status.RenditionGroups > 0)
        {
            Line("renditions", string.Create(CultureInfo.InvariantCulture, $"{status.RenditionGroups} group(s), {status.MisalignedRenditions} rendition(s) misaligned"));
        }
        Line("viewers", status.Viewers.ToString(CultureInfo.InvariantCulture));
        if (status.Transcoders.Count > 0 || status.TranscodeRefused > 0)
        {
            Line("transcoders", string.Create(CultureInfo.InvariantCulture,
                $"{status.Transcoders.Count} of at most {status.TranscodeMaxConcurrent}, {status.TranscodeRefused} refused; {string.Join(", ", status.Transcoders.Select(t => $"{t.Source} pid {t.Pid} {t.Speed:F2}x"))}"));
        }
        Line("connections", status.Connections.Count == 0 ? "0" :
            string.Join(", ", status.Connections.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        Line("memory", $"rss {Bytes(status.RssBytes)}, managed heap {Bytes(status.ManagedHeapBytes)}, allocated {Bytes(status.AllocatedBytes)}");
        Line("gc", $"gen0 {status.Gen0Collections}, gen1 {status.Gen1Collections}, gen2 {status.Gen2Collections}");
        Line("threadpool", $"{status.ThreadPoolThreads} threads, {status.ThreadPoolQueue} queued");
        return text.ToString();
    }

    /// <summary>The config in effect, then the keys whose new value in the file waits for a restart.</summary>
    public static string Config(JsonElement config, List<string> pendingRestart)
    {
        var text = JsonSerializer.Serialize(config, IndentedJson.Default.JsonElement) + "\n";
        return pendingRestart.Count == 0 ? text
            : text + $"pending restart: {string.Join(", ", pendingRestart)} (the file has new values; the values above stay in effect until applianced restarts)\n";
    }

    /// <summary>The streams, then (when any runs) the ladders' transcoders with their rungs.</summary>
    public static string Streams(List<StreamReport> streams)
    {
        var transcoders = streams.Where(s => s.Transcoder is not null).Select(s => s.Transcoder!).ToList();
        return transcoders.Count == 0 ? StreamTable(streams) : StreamTable(streams) + "\n" + Transcoders(transcoders);
    }

    public static string Transcoders(List<TranscoderReport> transcoders) => Table(
        ["SOURCE", "STATE", "PID", "FPS", "SPEED", "CPU", "CPU TIME", "RESTARTS", "RUNGS (measured rate)"],
        transcoders.Select(t => new[]
        {
            t.Source, t.State, t.Pid > 0 ? t.Pid.ToString(CultureInfo.InvariantCulture) : "-", t.Fps.ToString("F1", CultureInfo.InvariantCulture),
            t.Speed.ToString("F2", CultureInfo.InvariantCulture) + "x", t.CpuPercent.ToString("F0", CultureInfo.InvariantCulture) + "%",
            t.CpuSeconds.ToString("F1", CultureInfo.InvariantCulture) + "s", t.Restarts.ToString(CultureInfo.InvariantCulture),
            string.Join(", ", t.Rungs.Select(r => $"{r.Label} {(r.Width > 0 ? $"{r.Width}x{r.Height}" : $"{r.Height}p")} {Rate(r.MeasuredBitsPerSecond)}")),
        }),
        "no transcoders");

    private static string StreamTable(List<StreamReport> streams) => Table(
        ["STREAM", "SOURCE", "KIND", "RATE", "FPS", "VIDEO", "AUDIO", "SIZE", "RTMP", "FLV", "TS", "HLS", "OUT", "UP", "PUSH", "GROUP"],
        streams.Select(s => new[]
        {
            s.Key, s.Source ?? "-", s.SourceKind, Rate(s.IngestBitsPerSecond), s.IngestFps.ToString("F1", CultureInfo.InvariantCulture),
            s.VideoCodec ?? "-", s.AudioCodec ?? "-", s.Width > 0 ? $"{s.Width}x{s.Height}" : "-",
            Count(s, "rtmp"), Count(s, "flv"), Count(s, "ts"), Count(s, "hls"), Bytes(s.BytesOut), Duration(s.UptimeSeconds), Pushes(s.Pushes),
            s.Group is null ? "-" : $"{s.Group} ({s.Rendition}{(s.RenditionDetail is null ? "" : ": " + s.RenditionDetail)})",
        }),
        "no live streams");

    /// <summary>The sessions; an SRT column (RTT, loss, retransmissions, buffers) when any is an SRT session.</summary>
    public static string Sessions(List<SessionReport> sessions)
    {
        var srt = sessions.Any(s => s.Srt is not null);
        string[] header = ["ID", "PROTOCOL", "CLIENT", "STREAM", "AGE", "IN", "OUT"];
        return Table(srt ? [.. header, "SRT (send/receive buffer)"] : header,
            sessions.Select<SessionReport, string[]>(s =>
            {
                string[] row = [s.Id.ToString(CultureInfo.InvariantCulture), s.Protocol, s.Client, s.Stream, Duration(s.AgeSeconds), Bytes(s.BytesIn), Bytes(s.BytesOut)];
                return srt ? [.. row, s.Srt?.Summary() ?? "-"] : row;
            }),
            "no sessions");
    }

    public static string Routes(List<RouteReport> routes) => Table(
        ["APP", "UPSTREAM", "PRIO", "WEIGHT", "STATE", "RTT", "CONNECT", "THROUGHPUT", "CARRY", "LOSS", "RETRANS", "STALLS", "FAILS", "COST", "STREAMS"],
        routes.Select(r => new[]
        {
            $"{r.Domain}/{r.App}", r.Url, r.Directory ? "dir" : r.Priority.ToString(CultureInfo.InvariantCulture), r.Weight.ToString(CultureInfo.InvariantCulture),
            r.Down ? "down" : "up", Ms(r.RttMs), Ms(r.ConnectMs), r.ThroughputBitsPerSecond is { } bps ? Rate((long)bps) : "-",
            r.CarryRatio is { } carry ? (carry * 100).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-",
            Percent(r.LossPercent), Percent(r.RetransmitPercent),
            r.Stalls.ToString(CultureInfo.InvariantCulture), r.Failures.ToString(CultureInfo.InvariantCulture),
            r.Cost.ToString("F0", CultureInfo.InvariantCulture), r.Streams.Count == 0 ? "-" : string.Join(",", r.Streams),
        }),
        "no upstream candidates (no app pulls)");

    /// <summary>An SRT link's share in percent, "-" for other protocols.</summary>
    private static string Percent(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>"-" without push targets, else how many of them are being fed now out of all.</summary>
    private static string Pushes(List<PushReport> pushes) =>
        pushes.Count == 0 ? "-" : $"{pushes.Count(p => p.State == "forwarding")}/{pushes.Count}";

    private static string Count(StreamReport stream, string protocol) =>
        stream.Viewers.GetValueOrDefault(protocol).ToString(CultureInfo.InvariantCulture);

    private static string Table(string[] header, IEnumerable<string[]> rows, string empty)
    {
        var all = rows.ToList();
        if (all.Count == 0)
        {
            return empty + "\n";
        }
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var text = new StringBuilder();
        void Row(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
            }
            text.Append('\n');
        }
        Row(header);
        foreach (var row in all)
        {
            Row(row);
        }
        return text.ToString();
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GiB"),
    };

    public static string Rate(long bitsPerSecond) => bitsPerSecond switch
    {
        < 1000 => $"{bitsPerSecond} bit/s",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1000.0:F0} kbit/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1_000_000.0:F2} Mbit/s"),
    };

    private static string Ms(double? ms) => ms is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:F1} ms") : "-";

    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3600 => $"{seconds / 60}m{seconds % 60:D2}s",
        < 86400 => $"{seconds / 3600}h{seconds / 60 % 60:D2}m",
        _ => $"{seconds / 86400}d{seconds / 3600 % 24:D2}h",
    };
}
