using System.Runtime.InteropServices;

namespace Appliance.Daemon;

/// <summary>
/// The daemon's signals: SIGTERM drains then exits, SIGINT (a terminal's Ctrl-C) stops at once,
/// SIGHUP reloads the config, SIGUSR1 reopens the access log. A second SIGTERM while draining
/// stops at once.
/// </summary>
internal sealed class Signals : IDisposable
{
    // Linux numbers SIGUSR1 10; PosixSignal has no name for it, but takes the raw number.
    private const int SigUsr1 = 10;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TaskCompletionSource _terminate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _interrupt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _terms;

    public Signals(Action reload, Action reopenLogs)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref _terms) == 1)
            {
                _terminate.TrySetResult();
            }
            else
            {
                _interrupt.TrySetResult();
            }
        }));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            _interrupt.TrySetResult();
        }));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            // .NET runs this handler on a thread-pool thread; the reload gets a thread of its own
            // so a busy pool cannot delay it and nothing it throws is lost in an unobserved task.
            new Thread(() => reload()) { IsBackground = true, Name = "reload" }.Start();
        }));
        _registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            reopenLogs();
        }));
    }

    /// <summary>SIGTERM: drain, then exit.</summary>
    public Task Terminate => _terminate.Task;

    /// <summary>SIGINT, or a second SIGTERM: stop now.</summary>
    public Task Interrupt => _interrupt.Task;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
