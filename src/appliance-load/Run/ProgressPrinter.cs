using System.Diagnostics;
using Appliance.Load.Viewers;

namespace Appliance.Load.Run;

/// <summary>A line on stderr every few seconds, so a long run shows whether it is healthy.</summary>
internal sealed class ProgressPrinter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly LoadRun _run;
    private readonly long _start;
    private readonly Timer _timer;
    private long _lastBytes;
    private long _lastAt;

    public ProgressPrinter(LoadRun run, long start)
    {
        _run = run;
        _start = start;
        _lastAt = start;
        _timer = new Timer(_ => Print(), null, Interval, Interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Print()
    {
        int connecting = 0, playing = 0, failed = 0, dropped = 0, churned = 0;
        long bytes = 0;
        foreach (var viewer in _run.Viewers)
        {
            bytes += viewer.Bytes;
            churned += viewer.Churned ? 1 : 0;
            switch (viewer.State)
            {
                case ViewerState.Connecting:
                    connecting++;
                    break;
                case ViewerState.Playing:
                    playing++;
                    break;
                case ViewerState.Failed:
                    failed++;
                    break;
                case ViewerState.Dropped:
                    dropped++;
                    break;
            }
        }
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds;
        var mbits = seconds > 0 ? (bytes - _lastBytes) * 8 / seconds / 1e6 : 0;
        _lastBytes = bytes;
        _lastAt = now;
        Console.Error.WriteLine(
            $"appliance-load: t={Stopwatch.GetElapsedTime(_start, now).TotalSeconds:F0}s connecting={connecting} playing={playing} failed={failed} dropped={dropped}{(churned > 0 ? $" churned={churned}" : "")} {mbits:F1} Mbit/s");
    }
}
