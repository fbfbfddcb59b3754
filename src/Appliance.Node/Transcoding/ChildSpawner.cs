using System.Collections.Concurrent;
using System.Diagnostics;

namespace Appliance.Node.Transcoding;

/// <summary>
/// Starts the transcoders' child processes, all from one thread of its own that lives as long as
/// the daemon. Each child is started through <c>setsid</c> (a process group of its own, so a stop
/// reaches everything it started) and <c>setpriv --pdeathsig KILL</c> (PR_SET_PDEATHSIG: the kernel
/// kills it when its parent dies, even by SIGKILL). The kernel ties that signal to the thread that
/// forked, not the process: a child forked by a thread-pool thread would be killed the moment the
/// pool retired that thread. Hence the dedicated thread.
/// </summary>
internal sealed class ChildSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _requests = [];
    private readonly Thread _thread;

    public ChildSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "child-spawner" };
        _thread.Start();
    }

    /// <summary>The command line run: setsid, setpriv with the parent-death signal, then <paramref name="program"/> and its arguments.</summary>
    public static ProcessStartInfo Wrap(string setsid, string setpriv, string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(setsid)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (IEnumerable<string>)[setpriv, "--pdeathsig", "KILL", "--", program, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    /// <summary>Starts the process on the spawner's thread; throws what Process.Start throws.</summary>
    public Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((info, started));
        }
        catch (InvalidOperationException)
        {
            started.SetException(new ObjectDisposedException(nameof(ChildSpawner)));
        }
        return started.Task;
    }

    private void Run()
    {
        foreach (var (info, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start"));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }

    /// <summary>After every child is gone: the thread ends (a child still running would get its parent-death signal).</summary>
    public void Dispose() => _requests.CompleteAdding();
}
