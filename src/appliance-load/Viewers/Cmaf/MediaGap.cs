using System.Diagnostics;

namespace Appliance.Load.Viewers.Cmaf;

/// <summary>
/// The time between one track's new media (parts, chunks) once it flows: a gap longer than
/// <see cref="LowLatencyStallTargets"/> target durations is a stall for a low-latency player, as
/// none buffers that much at the live edge; a player of whole segments gets one a target duration
/// after the last, so it stalls past <see cref="SegmentStallTargets"/>. Owned by the loop that reads the track.
/// </summary>
internal sealed class MediaGap(bool lowLatency)
{
    public const int LowLatencyStallTargets = 1;
    public const int SegmentStallTargets = 2;

    private readonly int _stallTargets = lowLatency ? LowLatencyStallTargets : SegmentStallTargets;
    private long _last;

    /// <summary>The stream's target duration, from its playlist or MPD; the stall rule follows it.</summary>
    public double TargetDurationMs { get; set; } = 2000;

    public int Stalls { get; private set; }

    public double LongestMs { get; private set; }

    public void OnMedia(long now)
    {
        Close(now);
        _last = now;
    }

    /// <summary>The track stopped: a gap still open counts up to now.</summary>
    public void OnEnd(long now) => Close(now);

    private void Close(long now)
    {
        if (_last == 0)
        {
            return;
        }
        var gap = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        if (gap > _stallTargets * TargetDurationMs)
        {
            Stalls++;
        }
        LongestMs = Math.Max(LongestMs, gap);
    }
}
