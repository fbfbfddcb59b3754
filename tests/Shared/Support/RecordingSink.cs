using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Tests.Support;

/// <summary>
/// A gather sink that keeps a copy of every write. It can hold the first write until released,
/// hold every write until the test allows it, or fail every write, to stand in for a slow or dead peer.
/// </summary>
internal sealed class RecordingSink : IGatherSink
{
    private readonly Lock _lock = new();
    private readonly List<byte[]> _writes = [];
    private readonly TaskCompletionSource? _firstWriteGate;
    private readonly Exception? _failure;
    private readonly SemaphoreSlim? _allowed;

    public RecordingSink(bool holdFirstWrite = false, Exception? failWith = null, bool gated = false)
    {
        _allowed = gated ? new SemaphoreSlim(0) : null;
        _firstWriteGate = holdFirstWrite ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        _failure = failWith;
    }

    public int WriteCount
    {
        get
        {
            lock (_lock)
            {
                return _writes.Count;
            }
        }
    }

    public IReadOnlyList<byte[]> Writes
    {
        get
        {
            lock (_lock)
            {
                return [.. _writes];
            }
        }
    }

    public byte[] AllBytes() => [.. Writes.SelectMany(w => w)];

    /// <summary>
    /// As a plain socket's sink: a write completes on the caller's thread unless held or gated,
    /// so merged flushes write from their own threads. False stands in for io_uring or TLS.
    /// </summary>
    public bool WritesInline { get; init; } = true;

    /// <summary>What the writer asked the transport to hold unsent at most; null until asked.</summary>
    public int? UnsentLimit { get; private set; }

    public void LimitUnsent(int bytes) => UnsentLimit = bytes;

    public void ReleaseFirstWrite() => _firstWriteGate!.TrySetResult();

    /// <summary>Lets <paramref name="writes"/> more gated writes complete.</summary>
    public void Allow(int writes) => _allowed!.Release(writes);

    public async ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        int index;
        lock (_lock)
        {
            _writes.Add(Copy(slices));
            index = _writes.Count;
        }
        if (index == 1 && _firstWriteGate is not null)
        {
            await _firstWriteGate.Task.ConfigureAwait(false);
        }
        if (_allowed is not null)
        {
            await _allowed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Copy(ReadOnlyMemory<BufferSlice> slices)
    {
        var output = new MemoryStream();
        foreach (var slice in slices.Span)
        {
            output.Write(slice.Span);
        }
        return output.ToArray();
    }
}
