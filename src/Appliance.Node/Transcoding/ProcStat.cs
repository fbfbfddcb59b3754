using System.Globalization;

namespace Appliance.Node.Transcoding;

/// <summary>CPU time of a process from its <c>/proc/{pid}/stat</c> line (utime + stime, in USER_HZ ticks).</summary>
internal static class ProcStat
{
    // USER_HZ: what /proc counts in on every Linux architecture the node is built for.
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds (user + system) of the process, or null when the line is not a stat line.</summary>
    public static double? CpuSeconds(string statLine)
    {
        // The command name (field 2) is in parentheses and may hold spaces and ')': the fields after it start at the last ')'.
        var close = statLine.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = statLine.AsSpan(close + 1).Trim();
        // After the name: state (3), ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime (14), stime (15).
        Span<Range> parts = stackalloc Range[14];
        var count = fields.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count < 13 ||
            !long.TryParse(fields[parts[11]], NumberStyles.None, CultureInfo.InvariantCulture, out var utime) ||
            !long.TryParse(fields[parts[12]], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return null;
        }
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>CPU seconds of a running process, or null when it is gone (or there is no /proc).</summary>
    public static double? Read(int pid)
    {
        try
        {
            return CpuSeconds(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
