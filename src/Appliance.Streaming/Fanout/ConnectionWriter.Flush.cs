using System.Runtime.CompilerServices;
using Appliance.Core.Time;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// A merged flush's write, made from the flush's own thread (<see cref="FlushChunk"/>) instead of
/// this writer's send loop.
/// </summary>
/// <remarks>
/// At thousands of viewers about a third of the daemon's own CPU was the runtime waking each send
/// loop at every flush: a thread-pool item, an async method resumed, the wait set up again, for
/// one system call. When the loop is idle, has nothing queued but media and its sink writes on the
/// caller's thread (<see cref="Core.Connections.IGatherSink.WritesInline"/>), the flush takes the
/// ownership the loop and a session's inline reply share (ConnectionWriter.Inline.cs), collects
/// the new frames and writes them, and the loop sleeps on. Anything else goes to the loop, woken as
/// <see cref="Notify"/> wakes it: replies queued, a close, a batch that did not hold everything
/// (the loop collects the rest), the end of the stream. A write the socket did not take at once
/// finishes asynchronously and keeps the ownership until it is done, as the loop's would; flushes
/// meanwhile only leave the loop a wake-up for when it is done.
/// </remarks>
public sealed partial class ConnectionWriter
{
    private long _loopWakes;

    /// <summary>Times the send loop woke to own the sink (tests: a merged flush written inline wakes none).</summary>
    internal long LoopWakes => Volatile.Read(ref _loopWakes);

    /// <summary>A merged flush reached this writer: writes its new media here when it can, else leaves it to the loop.</summary>
    internal void FlushMedia()
    {
        if (!_sink.WritesInline)
        {
            _signal.Set();
            return;
        }
        if (!TryOwnOrLeaveWake())
        {
            // Whoever writes (the loop, a session's reply, the last flush's write still under way)
            // wakes the loop when it lets go: a viewer whose socket is full costs nothing more per flush.
            return;
        }
        try
        {
            WriteMediaOwned();
        }
        catch (Exception ex)
        {
            // A fault in collecting must not end the flush's other writers nor leave this one owned.
            _batch.ReleaseAll();
            Close($"flush failed: {ex.GetType().Name}: {ex.Message}");
            ReleaseOwnership();
        }
    }

    private void WriteMediaOwned()
    {
        if (HasLoopWork())
        {
            HandToLoop();
            return;
        }
        var result = CollectMedia();
        if (result == CollectResult.Hopeless)
        {
            _batch.ReleaseAll();
            Close(TooSlowReason);
            ReleaseOwnership();
            return;
        }
        if (_batch.Count == 0)
        {
            Settle(result);
            return;
        }
        var bytes = _batch.Bytes;
        Interlocked.Exchange(ref _writeStartedMs, MonotonicClock.NowMs);
        ValueTask write;
        try
        {
            write = _sink.WriteAsync(_batch.Slices, CancellationToken.None);
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            EndInlineWrite(bytes);
            Close($"write failed: {ex.Message}");
            ReleaseOwnership();
            return;
        }
        if (!write.IsCompleted)
        {
            _ = FinishInlineWriteAsync(write, bytes, result);
            return;
        }
        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            Close($"write failed: {ex.Message}");
        }
        EndInlineWrite(bytes);
        Settle(result);
    }

    /// <summary>The socket took part of the batch: the rest goes as the runtime's async send finishes it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FinishInlineWriteAsync(ValueTask write, long bytes, CollectResult result)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            Close($"write failed: {ex.Message}");
        }
        EndInlineWrite(bytes);
        Settle(result);
    }

    private bool HasLoopWork()
    {
        lock (_lock)
        {
            return _control.Count > 0 || _closeAfterFlush || _closeReason is not null;
        }
    }

    private void EndInlineWrite(long bytes)
    {
        Interlocked.Exchange(ref _writeStartedMs, 0);
        Interlocked.Add(ref _bytesWritten, bytes);
        Interlocked.Increment(ref _flushes);
        _batch.ReleaseAll();
    }

    /// <summary>Lets go of the sink; the loop goes on from here when there is more than this batch held.</summary>
    private void Settle(CollectResult result)
    {
        if (result == CollectResult.Idle && _closeReason is null)
        {
            ReleaseOwnership();
        }
        else
        {
            HandToLoop();
        }
    }

    private void HandToLoop()
    {
        ReleaseOwnership();
        _signal.Set();
    }
}
