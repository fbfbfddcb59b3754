using System.Diagnostics;
using System.Globalization;
using System.Text;
using Appliance.Load.Run;

namespace Appliance.Load.Report;

/// <summary>One line per viewer, for finding the odd one out behind a percentile.</summary>
internal static class ViewerCsv
{
    public static string Render(LoadRun run)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("viewer,url,state,bytes,connected_s,mbit_s,first_byte_ms,first_media_ms,first_keyframe_ms,video_frames,longest_gap_ms,longest_playing_gap_ms,longest_playing_gap_at_s,stalled,stalls,"
            + "ts_packets,ts_sync_losses,ts_continuity_errors,"
            + "hls_playlists,hls_segment_requests,hls_segments,hls_failures,hls_segment_p50_ms,hls_segment_p99_ms,hls_first_segment_ms,hls_stalls,hls_lowest_buffer_ms,hls_skipped,hls_malformed,hls_connections,"
            + "cmaf_manifests,cmaf_blocking_reloads,cmaf_media_requests,cmaf_chunks,cmaf_failures,cmaf_stalls,cmaf_longest_gap_ms,cmaf_connections,"
            + "latency_samples,latency_p50_ms,latency_p99_ms,latency_max_ms,latency_first_5s_ms,latency_last_5s_ms,latency_not_increasing,error\n");
        for (var i = 0; i < run.Viewers.Length; i++)
        {
            var v = run.Viewers[i];
            var seconds = v.EndedAt > v.StartedAt ? Stopwatch.GetElapsedTime(v.StartedAt, v.EndedAt).TotalSeconds : 0;
            var rate = seconds > 0 ? v.Bytes * 8 / seconds / 1e6 : 0;
            var error = v.Error?.Replace('"', '\'');
            text.Append(c, $"{i},{run.Urls[v.Target].Text},{v.State},{v.Bytes},{seconds:F3},{rate:F3},{v.FirstByteMs:F2},{v.FirstMediaMs:F2},{v.FirstKeyFrameMs:F2},{v.VideoFrames},{v.LongestGapMs:F0},{v.LongestPlayingGapMs:F0},{GapEnd(run, v)},{(v.Stalled ? 1 : 0)},{v.Stalls},");
            if (v.Ts is { } ts)
            {
                text.Append(c, $"{ts.Packets},{ts.SyncLosses},{ts.ContinuityErrors},");
            }
            else
            {
                text.Append(",,,");
            }
            if (v.Hls is { } h)
            {
                text.Append(c, $"{h.PlaylistRequests},{h.SegmentRequests},{h.Segments},{h.Failures},{h.SegmentTimes.PercentileMs(50):F2},{h.SegmentTimes.PercentileMs(99):F2},");
                text.Append(c, $"{h.FirstSegmentMs:F2},{h.Stalls},{h.LowestBufferMs:F0},{h.SkippedSegments},{h.MalformedSegments},{h.Connections},");
            }
            else
            {
                text.Append(",,,,,,,,,,,,");
            }
            if (v.Cmaf is { } m)
            {
                text.Append(c, $"{m.ManifestRequests},{m.BlockingReloads},{m.MediaRequests},{m.Fragments},{m.Failures},{m.Stalls},{m.LongestGapMs:F0},{m.Connections},");
            }
            else
            {
                text.Append(",,,,,,,,");
            }
            if (v.Latency is { } l)
            {
                text.Append(c, $"{l.Samples},{l.Histogram.PercentileMs(50):F1},{l.Histogram.PercentileMs(99):F1},{l.Histogram.MaxMs:F1},{l.First5sMeanMs:F1},{l.Last5sMeanMs:F1},{l.NotIncreasing},");
            }
            else
            {
                text.Append(",,,,,,,");
            }
            text.AppendLine(c, $"\"{error ?? (v.Hls?.FirstFailure ?? v.Cmaf?.FirstFailure)?.Replace('"', '\'')}\"");
        }
        return text.ToString();
    }

    /// <summary>Seconds from the run's start to the end of the viewer's longest gap once media flowed; empty if none.</summary>
    private static string GapEnd(LoadRun run, Viewers.ViewerStats viewer) => viewer.LongestPlayingGapEndedAt == 0
        ? ""
        : Stopwatch.GetElapsedTime(run.StartedAt, viewer.LongestPlayingGapEndedAt).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
}
