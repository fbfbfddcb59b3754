using System.Diagnostics;

namespace Appliance.Load.Viewers;

/// <summary>
/// What one viewer saw. Written only by that viewer's task; the run reads it when the viewer is
/// done (progress lines read it on the way, where a slightly stale value is fine). Small on
/// purpose: there may be a million of these.
/// </summary>
internal sealed class ViewerStats
{
    /// <summary>No media for this long is a stall.</summary>
    public const double StallMs = 2000;

    private long _bytes;
    private long _lastMedia;

    public ViewerStats(int target) => Target = target;

    /// <summary>Index of the URL this viewer watches.</summary>
    public int Target { get; }

    public ViewerState State { get; private set; }

    public string? Error { get; private set; }

    public long StartedAt { get; private set; }

    public long EndedAt { get; private set; }

    /// <summary>Bytes received, protocol overhead included.</summary>
    public long Bytes
    {
        get => Volatile.Read(ref _bytes);
        set => Volatile.Write(ref _bytes, value);
    }

    /// <summary>From the start of the TCP connect to the first complete media message or tag; -1 if none.</summary>
    public double FirstMediaMs { get; private set; } = -1;

    /// <summary>From the start of the TCP connect to the first complete video keyframe; -1 if none.</summary>
    public double FirstKeyFrameMs { get; private set; } = -1;

    public long VideoFrames { get; private set; }

    /// <summary>Longest time without media, counting from the start and up to the end.</summary>
    public double LongestGapMs { get; private set; }

    public bool Stalled => LongestGapMs >= StallMs;

    public void OnStart()
    {
        StartedAt = Stopwatch.GetTimestamp();
        _lastMedia = StartedAt;
        State = ViewerState.Connecting;
    }

    public void OnPlaying() => State = ViewerState.Playing;

    public void AddBytes(long count) => Volatile.Write(ref _bytes, _bytes + count);

    public void OnMedia(bool videoFrame, bool keyFrame)
    {
        var now = Stopwatch.GetTimestamp();
        NoteGap(now);
        _lastMedia = now;
        if (FirstMediaMs < 0)
        {
            FirstMediaMs = Stopwatch.GetElapsedTime(StartedAt, now).TotalMilliseconds;
        }
        if (videoFrame)
        {
            VideoFrames++;
            if (keyFrame && FirstKeyFrameMs < 0)
            {
                FirstKeyFrameMs = Stopwatch.GetElapsedTime(StartedAt, now).TotalMilliseconds;
            }
        }
    }

    /// <summary>The viewer stopped: because the run ended (<paramref name="error"/> null) or because of <paramref name="error"/>.</summary>
    public void OnEnd(string? error, bool runOver)
    {
        EndedAt = Stopwatch.GetTimestamp();
        NoteGap(EndedAt);
        if (State == ViewerState.Connecting)
        {
            State = ViewerState.Failed;
            Error = error ?? "the run ended while connecting";
        }
        else if (error is not null && !runOver)
        {
            State = ViewerState.Dropped;
            Error = error;
        }
        else
        {
            State = ViewerState.Finished;
        }
    }

    private void NoteGap(long now)
    {
        var gap = Stopwatch.GetElapsedTime(_lastMedia, now).TotalMilliseconds;
        if (gap > LongestGapMs)
        {
            LongestGapMs = gap;
        }
    }
}
