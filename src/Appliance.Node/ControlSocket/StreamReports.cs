using Appliance.Control.Contract;
using Appliance.Core.Time;
using Appliance.Node.Hosting;
using Appliance.Streaming.Streams;

namespace Appliance.Node.ControlSocket;

/// <summary>The streams as the control protocol shows them (<c>appliancectl streams</c>), built on demand, never kept up to date per frame.</summary>
internal static class StreamReports
{
    public static List<StreamReport> Streams(ServerContext context)
    {
        var bytesOut = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var session in context.Sessions.Sessions)
        {
            if (session.IsViewer)
            {
                bytesOut[session.StreamPath] = bytesOut.GetValueOrDefault(session.StreamPath) + session.BytesOut;
            }
        }
        foreach (var hls in context.HlsSessions.Sessions)
        {
            bytesOut[hls.StreamPath] = bytesOut.GetValueOrDefault(hls.StreamPath) + hls.BytesOut;
        }
        var now = MonotonicClock.NowMs;
        var transcoders = (context.Transcoders?.Snapshot() ?? []).ToDictionary(t => t.Source);
        var reports = new List<StreamReport>();
        foreach (var stream in context.Streams.Streams)
        {
            var stats = stream.Stats;
            var source = stream.Source;
            var key = stream.Key.ToString();
            var report = new StreamReport
            {
                Key = key,
                SourceKind = source switch
                {
                    null => "none",
                    { IsPull: true } => "pull",
                    { IsTranscoded: true } => "transcoder",
                    _ => "publisher",
                },
                Source = source?.Description,
                UptimeSeconds = (now - stream.CreatedAtMs) / 1000,
                IngestBitsPerSecond = stats.BitsPerSecond,
                IngestFps = stats.FramesPerSecond,
                VideoCodec = stats.VideoCodec,
                AudioCodec = stats.AudioCodec,
                Width = stats.Width,
                Height = stats.Height,
                BytesIn = stats.Bytes,
                BytesOut = bytesOut.GetValueOrDefault(key),
            };
            var viewers = stream.CountViewers();
            report.Viewers = new() { ["rtmp"] = viewers.Rtmp, ["flv"] = viewers.Flv, ["ts"] = viewers.Ts, ["hls"] = viewers.Hls };
            report.Pushes = context.Push?.Report(stream).ConvertAll(PushReports.From) ?? [];
            report.Transcoder = transcoders.TryGetValue(stream.Key, out var transcoder) ? TranscoderReports.From(transcoder) : null;
            reports.Add(report);
        }
        reports.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return reports;
    }

    /// <summary>"domain/app/name" matches itself; "app/name" matches that app and name on any domain.</summary>
    public static bool StreamMatches(string key, string wanted) =>
        key == wanted || key.EndsWith("/" + wanted, StringComparison.Ordinal) && wanted.Contains('/', StringComparison.Ordinal);

    public static bool StreamMatches(StreamKey key, string wanted) => StreamMatches(key.ToString(), wanted);
}
