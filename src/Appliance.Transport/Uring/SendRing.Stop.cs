using System.Runtime.InteropServices;
using Appliance.Transport.Native;

namespace Appliance.Transport.Uring;

/// <summary>How the ring stops: nothing it was given may be left waiting, nothing native left behind.</summary>
public sealed unsafe partial class SendRing
{
    /// <summary>
    /// Takes no more sends, cancels those the kernel holds and waits for their completions (their
    /// writers fail, as a closed connection's do), then stops the thread and frees the ring.
    /// </summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        _draining = true;
        WakeNow();
        _drained.Wait(CancelBoundMs);
        _stopping = true;
        WakeNow();
        _thread.Join();
        _ring?.Dispose();
        _drained.Dispose();
        ReleaseNative();
    }

    /// <summary>Wakes the thread whether or not it said it sleeps: a spare eventfd write only ends one wait early.</summary>
    private void WakeNow()
    {
        Interlocked.Exchange(ref _sleeping, 1);
        Wake();
    }

    private void ReleaseNative()
    {
        LibC.Close(_eventFd);
        NativeMemory.Free(_wakeBuffer);
        lock (_blocks)
        {
            while (_blocks.TryPop(out var block))
            {
                NativeMemory.Free((void*)block);
            }
        }
    }

    /// <summary>
    /// The ring stops: sends it never gave the kernel fail (a writer must not wait for ever, and
    /// the socket's handle it holds must go, or that socket's close would wait for ever).
    /// </summary>
    private void FailUnsubmitted()
    {
        foreach (var operation in _submitting)
        {
            if (operation is not null)
            {
                operation.OnSubmitted();
                Ended(operation, operation.OnCompletion(-ECanceled, 0));
            }
        }
        _submitting.Clear();
        while (_queued.TryDequeue(out var operation))
        {
            operation.OnSubmitted();
            Ended(operation, operation.OnCompletion(-ECanceled, 0));
        }
    }

    /// <summary>
    /// The ring is stopping: every send the kernel holds, or is about to be given, is cancelled.
    /// A send to a peer that has stopped reading waits on its socket's poll with no end of its
    /// own (the connection's send stall deadline, which would close it, is gone with the node),
    /// and its writer would never complete.
    /// </summary>
    private void CancelEverything()
    {
        _held.ForEach(CancelOne);
        foreach (var operation in _submitting)
        {
            if (operation is not null)
            {
                CancelOne(operation);
            }
        }
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.Set();
        }

        void CancelOne(UringOperation operation)
        {
            operation.RequestCancel();
            _cancels.Enqueue(operation.Token);
        }
    }
}
