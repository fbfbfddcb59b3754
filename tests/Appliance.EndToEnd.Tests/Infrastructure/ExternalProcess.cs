using System.Diagnostics;
using System.Text;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A child process (ffmpeg, ffprobe) with its output captured; killed by PID if still running on dispose.</summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ExternalProcess(Process process) => _process = process;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static ExternalProcess Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var external = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => Append(external._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(external._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    /// <summary>Runs to completion within <paramref name="timeout"/>, or is killed and fails the test.</summary>
    public static async Task<ExternalProcess> RunAsync(TimeSpan timeout, string file, params string[] args)
    {
        var external = Start(file, args);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await external._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await external.DisposeAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:F0}s\n{external.Stderr}");
        }
        // WaitForExit without a timeout also waits for the redirected streams to drain.
        external._process.WaitForExit();
        return external;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
