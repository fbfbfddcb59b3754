using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Live.Tests.Support;

/// <summary>
/// A gather sink that keeps a copy of every write. It can hold the first write until released,
/// or fail every write, to stand in for a slow or dead peer.
/// </summary>
internal sealed class RecordingSink : IGatherSink
{
    private readonly Lock _lock = new();
    private readonly List<byte[]> _writes = [];
    private readonly TaskCompletionSource? _firstWriteGate;
    private readonly Exception? _failure;

    public RecordingSink(bool holdFirstWrite = false, Exception? failWith = null)
    {
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

    public void ReleaseFirstWrite() => _firstWriteGate!.TrySetResult();

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
