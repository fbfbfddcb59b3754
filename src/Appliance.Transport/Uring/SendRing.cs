using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Appliance.Transport.Native;

namespace Appliance.Transport.Uring;

/// <summary>
/// The process's io_uring for socket output, owned by one thread. Writers queue their sends from
/// any thread; the thread puts everything queued into the submission ring and makes one
/// io_uring_enter for all of it, so a flush that wakes a thousand viewers costs a few enters
/// instead of a thousand sendmsg calls. The same enter reaps completions, which complete the
/// writers' awaits on the thread pool. A socket that cannot take its bytes is polled by the
/// kernel (io_uring arms the poll itself), so a slow viewer holds nobody else up.
/// One ring: one core's worth of submissions is far more than the node makes, and one thread
/// that sleeps when idle costs nothing; a ring per core would split the batches it exists to make.
/// </summary>
public sealed unsafe partial class SendRing : IDisposable
{
    /// <summary>Set to 1 to make every setup fail as if the kernel refused io_uring (tests, or to rule it out).</summary>
    public const string DisableVariable = "APPLIANCE_IO_URING_DISABLE";

    private const uint Entries = 4096;
    private const ulong WakeToken = 1;
    private const ulong CancelToken = 2;
    private const int ECanceled = 125;
    internal const int IovecsPerBlock = 64;

    /// <summary>
    /// How long a stopping ring waits for the kernel to answer its cancels. The kernel answers at
    /// once (a send parked on a socket's poll is simply dropped); the bound is only for a kernel
    /// that would not, so a stop can never hang on it.
    /// </summary>
    private const int CancelBoundMs = 2000;

    private readonly ConcurrentQueue<UringOperation> _queued = new();
    private readonly ConcurrentQueue<ulong> _cancels = new();
    private readonly Stack<nint> _blocks = new();
    private readonly List<UringOperation?> _submitting = [];
    private readonly HeldOperations _held = new();
    private readonly ManualResetEventSlim _drained = new();
    private readonly Thread _thread;
    private readonly int _eventFd;
    private readonly long* _wakeBuffer;
    private UringRing? _ring;
    private int _sleeping;
    private bool _wakeArmed;
    private volatile bool _stopping;
    private volatile bool _draining;
    private bool _drainStarted;
    private volatile bool _closed;
    private int _inFlight;
    private long _enters;
    private long _submitted;
    private long _completed;

    private SendRing(int eventFd, int zeroCopyMinBytes)
    {
        _eventFd = eventFd;
        ZeroCopyMinBytes = zeroCopyMinBytes;
        _wakeBuffer = (long*)NativeMemory.AllocZeroed(sizeof(long));
        _thread = new Thread(Run) { IsBackground = true, Name = "io_uring send" };
    }

    /// <summary>Gathers of at least this many bytes go as zero-copy sends (SENDMSG_ZC); 0 = never.</summary>
    public int ZeroCopyMinBytes { get; private set; }

    /// <summary>io_uring_enter calls so far.</summary>
    public long Enters => Interlocked.Read(ref _enters);

    /// <summary>Submission entries the kernel took (sends, polls, cancels and the ring's own wake reads).</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    /// <summary>Completions reaped.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Operations the kernel holds now (a send parked on a full socket among them).</summary>
    internal int Held => _held.Count;

    /// <summary>
    /// Starts the ring and its thread, or says why it cannot: ENOSYS (no io_uring in this kernel),
    /// EPERM (kernel.io_uring_disabled, a seccomp filter or a container's policy), or the disable
    /// variable. A caller falls back to epoll with that reason.
    /// </summary>
    /// <param name="environment">Where <see cref="DisableVariable"/> is read; the process's environment unless a test gives its own.</param>
    public static SendRing? TryStart(out string? refusal, int zeroCopyMinBytes = 0, Func<string, string?>? environment = null)
    {
        if ((environment ?? Environment.GetEnvironmentVariable)(DisableVariable) == "1")
        {
            refusal = $"{DisableVariable}=1";
            return null;
        }
        var eventFd = UringAbi.EventFd(0, UringAbi.EfdCloexec);
        if (eventFd < 0)
        {
            refusal = $"eventfd failed (errno {LibC.LastError})";
            return null;
        }
        var ring = new SendRing(eventFd, zeroCopyMinBytes);
        // The ring is made on its own thread: a single-issuer ring accepts enters only from the
        // thread that made it.
        using var ready = new ManualResetEventSlim();
        var errno = 0;
        ring._thread.Start((Action<int>)(e =>
        {
            errno = e;
            ready.Set();
        }));
        ready.Wait();
        if (ring._ring is null)
        {
            ring.ReleaseNative();
            refusal = errno switch
            {
                LibC.ENoSys => "this kernel has no io_uring (ENOSYS)",
                1 => "io_uring is refused (EPERM: kernel.io_uring_disabled, or a seccomp or container policy)",
                _ => $"io_uring_setup failed (errno {errno})",
            };
            return null;
        }
        refusal = null;
        return ring;
    }

    /// <summary>Any thread: a queued operation goes into the next enter.</summary>
    internal void Enqueue(UringOperation operation)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Interlocked.Increment(ref _inFlight);
        _queued.Enqueue(operation);
        Wake();
    }

    /// <summary>Any thread: asks the kernel to cancel the operation if it is still waiting (a closing connection).</summary>
    internal void Cancel(UringOperation operation)
    {
        operation.RequestCancel();
        if (_closed || !operation.IsInFlight)
        {
            return;
        }
        _cancels.Enqueue(operation.Token);
        Wake();
    }

    /// <summary>A native block for one sendmsg: its msghdr and <see cref="IovecsPerBlock"/> iovecs, lent while a write lasts.</summary>
    internal nint RentHeader()
    {
        nint block;
        lock (_blocks)
        {
            _blocks.TryPop(out block);
        }
        if (block == 0)
        {
            block = (nint)NativeMemory.Alloc((nuint)(sizeof(UringAbi.MessageHeader) + IovecsPerBlock * sizeof(UringAbi.Iovec)));
        }
        return block;
    }

    internal void ReturnHeader(nint block)
    {
        lock (_blocks)
        {
            _blocks.Push(block);
        }
    }

    /// <summary>The ring's thread sleeps in io_uring_enter; only then does a writer pay an eventfd write to wake it.</summary>
    private void Wake()
    {
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            long one = 1;
            LibC.Write(_eventFd, (byte*)&one, sizeof(long));
        }
    }

    private void Run(object? started)
    {
        var report = (Action<int>)started!;
        _ring = UringRing.TryCreate(Entries, out var errno);
        report(errno);
        if (_ring is null)
        {
            return;
        }
        while (!_stopping)
        {
            if (_draining && !_drainStarted)
            {
                _drainStarted = true;
                CancelEverything();
            }
            if (!_wakeArmed)
            {
                ArmWake();
            }
            Fill();
            var wait = false;
            if (_ring.Unsubmitted == 0 && !_ring.HasCompletions)
            {
                // Say we sleep, then look once more: a writer that queued before this sees
                // nothing to wake, so its work must be seen here.
                Interlocked.Exchange(ref _sleeping, 1);
                if (_queued.IsEmpty && _cancels.IsEmpty && _draining == _drainStarted)
                {
                    wait = true;
                }
                else
                {
                    Volatile.Write(ref _sleeping, 0);
                    continue;
                }
            }
            if (_ring.Unsubmitted > 0 || wait)
            {
                var taken = _ring.Enter(wait);
                Interlocked.Increment(ref _enters);
                Volatile.Write(ref _sleeping, 0);
                if (taken > 0)
                {
                    Interlocked.Add(ref _submitted, taken);
                    OnTaken(taken);
                }
            }
            Reap();
        }
        FailUnsubmitted();
    }

    /// <summary>Moves queued operations and cancels into submission entries, as many as the ring has room for.</summary>
    private void Fill()
    {
        var ring = _ring!;
        // Sends before cancels: a cancel queued after its send was queued lands in the same or a
        // later enter, after the send it is for.
        while (_queued.TryPeek(out var operation))
        {
            if (operation.CancelRequested || _draining)
            {
                // Closed before it reached the kernel, or the ring is stopping: it fails here,
                // nothing is sent.
                _queued.TryDequeue(out _);
                operation.OnSubmitted();
                Ended(operation, operation.OnCompletion(-ECanceled, 0));
                continue;
            }
            var sqe = ring.TryGetSqe();
            if (sqe is null)
            {
                return;
            }
            _queued.TryDequeue(out _);
            sqe->Fd = operation.Fd;
            sqe->UserData = operation.Token;
            switch (operation.Kind)
            {
                case UringOperationKind.PollWritable:
                    sqe->Opcode = UringAbi.OpPollAdd;
                    sqe->OpFlags = UringAbi.PollOut;
                    break;
                default:
                    sqe->Opcode = operation.Kind == UringOperationKind.SendMessageZeroCopy ? UringAbi.OpSendMsgZc : UringAbi.OpSendMsg;
                    sqe->Address = (ulong)operation.Header;
                    sqe->Length = 1;
                    sqe->OpFlags = (uint)operation.MessageFlags;
                    break;
            }
            _submitting.Add(operation);
        }
        while (_cancels.TryPeek(out var target))
        {
            var sqe = ring.TryGetSqe();
            if (sqe is null)
            {
                return;
            }
            _cancels.TryDequeue(out _);
            sqe->Opcode = UringAbi.OpAsyncCancel;
            sqe->Fd = -1;
            sqe->Address = target;
            sqe->UserData = CancelToken;
            _submitting.Add(null);
        }
    }

    private void Ended(UringOperation operation, bool ended)
    {
        if (!ended)
        {
            return;
        }
        _held.Remove(operation);
        if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
        {
            _drained.Set();
        }
    }

    /// <summary>The kernel took the first <paramref name="taken"/> entries in order: their sockets' handles can go.</summary>
    private void OnTaken(int taken)
    {
        taken = Math.Min(taken, _submitting.Count);
        for (var i = 0; i < taken; i++)
        {
            if (_submitting[i] is { } operation)
            {
                operation.OnSubmitted();
                _held.Add(operation);
            }
        }
        _submitting.RemoveRange(0, taken);
    }

    private void Reap()
    {
        var ring = _ring!;
        var count = 0;
        while (ring.TryPeek(out var cqe))
        {
            count++;
            switch (cqe.UserData)
            {
                case WakeToken:
                    _wakeArmed = false;
                    break;
                case CancelToken:
                    break;
                default:
                    var operation = UringOperation.FromToken(cqe.UserData);
                    Ended(operation, operation.OnCompletion(cqe.Result, cqe.Flags));
                    break;
            }
        }
        Interlocked.Add(ref _completed, count);
    }

    /// <summary>A read of the eventfd stays in the ring: a writer's write to it ends the thread's sleep.</summary>
    private void ArmWake()
    {
        var sqe = _ring!.TryGetSqe();
        if (sqe is null)
        {
            // The ring is full of sends: they go in this round's enter, and the read is armed in
            // the next, before the thread may sleep.
            return;
        }
        _wakeArmed = true;
        sqe->Opcode = UringAbi.OpRead;
        sqe->Fd = _eventFd;
        sqe->Address = (ulong)_wakeBuffer;
        sqe->Length = sizeof(long);
        sqe->Offset = ulong.MaxValue;
        sqe->UserData = WakeToken;
        _submitting.Add(null);
    }

    /// <summary>Turns zero-copy sends off for the rest of the process (the kernel refused one).</summary>
    internal void DisableZeroCopy() => ZeroCopyMinBytes = 0;
}
