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
        var text = new StringBuilder("viewer,url,state,bytes,connected_s,mbit_s,first_media_ms,first_keyframe_ms,video_frames,longest_gap_ms,error\n");
        for (var i = 0; i < run.Viewers.Length; i++)
        {
            var v = run.Viewers[i];
            var seconds = v.EndedAt > v.StartedAt ? Stopwatch.GetElapsedTime(v.StartedAt, v.EndedAt).TotalSeconds : 0;
            var rate = seconds > 0 ? v.Bytes * 8 / seconds / 1e6 : 0;
            var error = v.Error?.Replace('"', '\'');
            text.AppendLine(c, $"{i},{run.Urls[v.Target].Text},{v.State},{v.Bytes},{seconds:F3},{rate:F3},{v.FirstMediaMs:F2},{v.FirstKeyFrameMs:F2},{v.VideoFrames},{v.LongestGapMs:F0},\"{error}\"");
        }
        return text.ToString();
    }
}
