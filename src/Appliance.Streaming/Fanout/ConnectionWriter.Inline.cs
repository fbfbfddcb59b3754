using System.Runtime.CompilerServices;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// Who writes, and when a connection gives the others a turn.
/// </summary>
/// <remarks>
/// A request/response session (HTTP) queues its replies between <see cref="HoldWakeups"/> and
/// <see cref="WriteQueuedAsync"/>, which writes them from the session's own thread when nothing
/// else is writing: a segment's head and sendfile go out from the read loop that parsed its
/// request, with no wake-up of the send loop (a thread-pool hop per request, whose continuations
/// also ran last-in-first-out from the worker's local queue). Ownership is one flag: the send loop
/// takes it after each wake-up and the session takes it for an inline write; whichever finds it
/// taken leaves the work to the owner, who wakes the loop again when it lets go.
/// </remarks>
public sealed partial class ConnectionWriter
{
    /// <summary>
    /// What one connection may write in a row without waiting for its socket before it goes to the
    /// back of the thread pool's queue: a client that drains its socket as fast as the server
    /// fills it (pipelined segment requests on loopback) otherwise keeps a thread to itself while
    /// other connections wait. nginx bounds the same thing with sendfile_max_chunk (2 MB).
    /// </summary>
    public const long FairShareBytes = 2 * 1024 * 1024;

    // 1 while the send loop or the session's inline write owns the sink.
    private int _owner;
    // The send loop woke while the session owned the sink: the session wakes it when it lets go.
    private int _missedWake;
    // Under _lock: replies queued meanwhile wake nobody; WriteQueuedAsync writes them.
    private bool _holdWakeups;
    // Bytes written since this connection last waited (for its socket, its peer or something to
    // send) or gave a turn; the session's read loop also resets it (NoteWaited).
    private long _writtenInARow;

    /// <summary>
    /// The connection waited (for its peer's next request, or for something to send): every other
    /// connection had a turn since, so its run of writes without a pause starts again.
    /// </summary>
    public void NoteWaited() => Interlocked.Exchange(ref _writtenInARow, 0);

    /// <summary>
    /// Replies queued from now on wait for <see cref="WriteQueuedAsync"/> instead of waking the
    /// send loop (which would write them on another thread-pool turn).
    /// </summary>
    public void HoldWakeups()
    {
        lock (_lock)
        {
            _holdWakeups = true;
        }
    }

    /// <summary>
    /// Ends <see cref="HoldWakeups"/> and writes what is queued from the caller's thread when the
    /// writer is idle; completes when it is written (at once when the socket took it all). When
    /// the writer is busy, closing or carrying media, the send loop writes it, in order, and this
    /// returns at once. Throws nothing: a failed write closes the writer with the reason.
    /// </summary>
    public ValueTask WriteQueuedAsync()
    {
        bool inline;
        lock (_lock)
        {
            _holdWakeups = false;
            if (_control.Count == 0)
            {
                return default;
            }
            inline = !_closeAfterFlush && _closeReason is null && Volatile.Read(ref _subscription) is null;
        }
        if (!inline || Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            _signal.Set();
            return default;
        }
        return WriteInlineAsync();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteInlineAsync()
    {
        try
        {
            if (_closeReason is null)
            {
                // A CloseAfterFlush that raced in is the loop's to finish once these are out.
                TakeReplies();
                await WriteRepliesAsync().ConfigureAwait(false);
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            // The loop ends with this reason and drops what the failed write had not reached.
            Close($"write failed: {ex.Message}");
        }
        finally
        {
            ReleaseOwnership();
        }
    }

    private static bool IsWriteFailure(Exception ex) =>
        ex is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or OperationCanceledException;

    /// <summary>
    /// Takes the sink, or leaves a wake-up for when its owner lets go (<see cref="ReleaseOwnership"/>
    /// wakes the loop then), so whoever finds the sink taken neither spins nor wakes the loop for nothing.
    /// </summary>
    private bool TryOwnOrLeaveWake()
    {
        if (Interlocked.CompareExchange(ref _owner, 1, 0) == 0)
        {
            return true;
        }
        Interlocked.Exchange(ref _missedWake, 1);
        // The session may have let go between the two: then it did not see the flag, so take over.
        return Interlocked.CompareExchange(ref _owner, 1, 0) == 0;
    }

    private void ReleaseOwnership()
    {
        Interlocked.Exchange(ref _owner, 0);
        if (Interlocked.Exchange(ref _missedWake, 0) != 0)
        {
            _signal.Set();
        }
    }

    /// <summary>
    /// Awaits a write, counting what went without waiting: one that had to wait for the socket
    /// already let every other connection run.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask Counted(ValueTask write, long bytes)
    {
        if (write.IsCompleted)
        {
            write.GetAwaiter().GetResult();
            Interlocked.Add(ref _writtenInARow, bytes);
            return;
        }
        await write.ConfigureAwait(false);
        NoteWaited();
    }

    /// <summary>After <see cref="FairShareBytes"/> in a row, goes to the back of the thread pool's queue once.</summary>
    private ValueTask YieldIfDueAsync()
    {
        if (Interlocked.Read(ref _writtenInARow) < FairShareBytes)
        {
            return default;
        }
        NoteWaited();
        return YieldAsync();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask YieldAsync() => await Task.Yield();
}
