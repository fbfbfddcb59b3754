using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Appliance.Node.Transcoding;

/// <summary>
/// One running ffmpeg: its stdin (the source as FLV), its progress reports (stdout), its log lines
/// (stderr, each handed on with any credential masked), and its end. Stopping it closes stdin
/// (ffmpeg finishes the rungs cleanly on end of input), then signals its process group.
/// </summary>
internal sealed partial class FfmpegChild : IAsyncDisposable
{
    private const int KeptLines = 5;

    private readonly Process _process;
    private readonly FfmpegProgress _progress = new();
    private readonly Queue<string> _lastLines = new();
    private readonly Task _readers;
    private ProgressReport _report;
    private long _reportedAtMs;

    public FfmpegChild(Process process, Action<int, string> logLine)
    {
        _process = process;
        Pid = process.Id;
        StartedMs = Core.Time.MonotonicClock.NowMs;
        Input = process.StandardInput.BaseStream;
        Exited = process.WaitForExitAsync();
        _readers = Task.WhenAll(ReadProgressAsync(process.StandardOutput), ReadLogAsync(process.StandardError, logLine));
    }

    public int Pid { get; }

    public long StartedMs { get; }

    /// <summary>ffmpeg's stdin.</summary>
    public Stream Input { get; }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// "exit code N", or "killed by signal N" (setsid and setpriv exec, so the status is ffmpeg's
    /// own; the runtime reports a signal as 128 + its number, and ffmpeg's own codes are 0, 1 and 255).
    /// </summary>
    public string ExitDescription => !HasExited ? "running"
        : _process.ExitCode is > 128 and < 160 ? $"killed by signal {_process.ExitCode - 128}" : $"exit code {_process.ExitCode}";

    /// <summary>The newest progress report, and when it came (monotonic ms; 0 before the first).</summary>
    public (ProgressReport Report, long AtMs) Progress
    {
        get
        {
            lock (_lastLines)
            {
                return (_report, _reportedAtMs);
            }
        }
    }

    /// <summary>The last lines ffmpeg wrote to stderr (masked), oldest first: why it failed, usually.</summary>
    public string LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(" | ", _lastLines);
            }
        }
    }

    /// <summary>Once it has exited: waits (briefly) until its last lines are read, so <see cref="LastLines"/> says why.</summary>
    public Task OutputReadAsync(int timeoutMs) => Task.WhenAny(_readers, Task.Delay(timeoutMs));

    /// <summary>Closes stdin: ffmpeg sees the end of its input, finishes and exits.</summary>
    public void CloseInput()
    {
        try
        {
            Input.Dispose();
        }
        catch (IOException)
        {
            // It is gone already; the pipe's other end is closed.
        }
    }

    /// <summary>Signals the child's process group (itself and anything it started), while it is still there.</summary>
    public void Signal(int signal)
    {
        if (!HasExited)
        {
            ProcessGroup.Signal(Pid, signal);
        }
    }

    /// <summary>Ends the child: stdin closed, SIGTERM to its group after <paramref name="graceMs"/>, SIGKILL after as long again.</summary>
    public async Task StopAsync(int graceMs)
    {
        CloseInput();
        if (await Task.WhenAny(Exited, Task.Delay(graceMs)).ConfigureAwait(false) == Exited)
        {
            return;
        }
        Signal(ProcessGroup.SigTerm);
        if (await Task.WhenAny(Exited, Task.Delay(graceMs)).ConfigureAwait(false) != Exited)
        {
            Signal(ProcessGroup.SigKill);
            await Exited.ConfigureAwait(false);
        }
    }

    private async Task ReadProgressAsync(StreamReader output)
    {
        while (await output.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (_progress.Take(line) is { } report)
            {
                lock (_lastLines)
                {
                    _report = report;
                    _reportedAtMs = Core.Time.MonotonicClock.NowMs;
                }
            }
        }
    }

    private async Task ReadLogAsync(StreamReader errors, Action<int, string> logLine)
    {
        while (await errors.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var masked = Mask(line);
            lock (_lastLines)
            {
                if (_lastLines.Count == KeptLines)
                {
                    _lastLines.Dequeue();
                }
                _lastLines.Enqueue(masked);
            }
            logLine(Pid, masked);
        }
    }

    /// <summary>A line with every internal credential replaced (ffmpeg names its output URLs in some errors).</summary>
    public static string Mask(string line) => Credential().Replace(line, "$1***");

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            Signal(ProcessGroup.SigKill);
            await Exited.ConfigureAwait(false);
        }
        await _readers.ConfigureAwait(false);
        _process.Dispose();
    }

    [GeneratedRegex("(" + Auth.InternalPublishTokens.ParameterName + "=)[^&:\\s'\"]*")]
    private static partial Regex Credential();
}
