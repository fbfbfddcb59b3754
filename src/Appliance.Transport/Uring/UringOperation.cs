using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Appliance.Transport.Uring;

/// <summary>
/// A socket's one operation in the ring at a time (its writer is the only one), reused for every
/// send: the awaitable the writer waits on, completed by the ring's thread from the CQE. It holds
/// the socket's handle from the moment it is queued until the kernel has the request, so a close
/// racing with the submission cannot let the descriptor's number be reused under it; after
/// that the kernel holds the file itself.
/// </summary>
internal sealed class UringOperation : IValueTaskSource<int>
{
    private const int InFlight = 1;
    private const int Closed = 2;

    private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = true };
    private readonly SafeHandle _socket;
    private static int s_generation;
    private GCHandle _self;
    private int _state;
    private volatile bool _cancelRequested;
    private int _freed;
    private bool _socketReferenced;
    private int _zeroCopyResult;

    public UringOperation(SafeHandle socket)
    {
        _socket = socket;
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        // The handle's address finds the operation without a table; the top 16 bits (above any
        // user-space address) tell this operation from a later one given the same handle slot,
        // so a cancel that arrives late cannot hit a stranger's send.
        var generation = (ulong)(ushort)Interlocked.Increment(ref s_generation);
        Token = (ulong)GCHandle.ToIntPtr(_self) | generation << 48;
    }

    /// <summary>The CQE's user_data for this operation.</summary>
    public ulong Token { get; }

    /// <summary>Set by a cancel (a closing connection, a cancelled token): from then on nothing of it is submitted.</summary>
    public bool CancelRequested => _cancelRequested;

    public void RequestCancel() => _cancelRequested = true;

    public UringOperationKind Kind { get; private set; }

    public int Fd { get; private set; }

    /// <summary>The msghdr block of a send (a native block the sink rents from the ring).</summary>
    public nint Header { get; private set; }

    public int MessageFlags { get; private set; }

    public static UringOperation FromToken(ulong token) => (UringOperation)GCHandle.FromIntPtr((nint)(token & 0x0000_FFFF_FFFF_FFFF)).Target!;

    /// <summary>Queues the operation; the result is the CQE's (bytes sent, or -errno).</summary>
    public ValueTask<int> StartAsync(SendRing ring, UringOperationKind kind, nint header, int flags)
    {
        var old = Interlocked.Or(ref _state, InFlight);
        if ((old & Closed) != 0)
        {
            Interlocked.And(ref _state, ~InFlight);
            throw new ObjectDisposedException(nameof(UringOperation), "the connection is closed");
        }
        try
        {
            _socketReferenced = false;
            _socket.DangerousAddRef(ref _socketReferenced);
            Fd = (int)_socket.DangerousGetHandle();
            Kind = kind;
            Header = header;
            MessageFlags = flags;
            _zeroCopyResult = 0;
            ring.Enqueue(this);
        }
        catch
        {
            ReleaseSocket();
            Interlocked.And(ref _state, ~InFlight);
            throw;
        }
        return new ValueTask<int>(this, _core.Version);
    }

    /// <summary>Ring thread: the kernel has taken the request (and a reference to the file).</summary>
    public void OnSubmitted() => ReleaseSocket();

    /// <summary>Ring thread: a CQE for this operation; true when it ended the operation (false: a zero-copy notification follows).</summary>
    public bool OnCompletion(int result, uint flags)
    {
        if (Kind == UringOperationKind.SendMessageZeroCopy)
        {
            if ((flags & UringAbi.CqeFlagNotification) == 0)
            {
                // The send's result. With F_MORE the pages stay pinned until a notification
                // follows: the writer must keep its buffers until then, so it waits for that one.
                _zeroCopyResult = result;
                if ((flags & UringAbi.CqeFlagMore) != 0)
                {
                    return false;
                }
            }
            result = _zeroCopyResult;
        }
        var old = Interlocked.And(ref _state, ~InFlight);
        _core.SetResult(result);
        if ((old & Closed) != 0)
        {
            FreeHandle();
        }
        return true;
    }

    /// <summary>The connection is closing: the operation is freed now, or at its last CQE.</summary>
    public void Close()
    {
        var old = Interlocked.Or(ref _state, Closed);
        if ((old & (InFlight | Closed)) == 0)
        {
            FreeHandle();
        }
    }

    public bool IsInFlight => (Volatile.Read(ref _state) & InFlight) != 0;

    // The ring thread's list of what the kernel holds (HeldOperations); no other thread touches them.
    internal bool Held { get; set; }

    internal UringOperation? HeldPrevious { get; set; }

    internal UringOperation? HeldNext { get; set; }

    private void ReleaseSocket()
    {
        if (_socketReferenced)
        {
            _socketReferenced = false;
            _socket.DangerousRelease();
        }
    }

    private void FreeHandle()
    {
        if (Interlocked.Exchange(ref _freed, 1) == 0)
        {
            _self.Free();
        }
    }

    public int GetResult(short token)
    {
        var result = _core.GetResult(token);
        _core.Reset();
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
