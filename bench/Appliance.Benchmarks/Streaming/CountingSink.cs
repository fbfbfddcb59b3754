using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// A connection that swallows everything at once: counts bytes and writes, completes synchronously,
/// and tells the benchmark when the writes it waits for have all happened.
/// </summary>
internal sealed class CountingSink : IGatherSink
{
    private readonly WriteCounter _counter;

    public CountingSink(WriteCounter counter) => _counter = counter;

    public long Bytes { get; private set; }

    public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        foreach (var slice in slices.Span)
        {
            Bytes += slice.Length;
        }
        _counter.OnWrite();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Counts writes across all sinks and wakes the benchmark when a target is reached.</summary>
internal sealed class WriteCounter
{
    private readonly ManualResetEventSlim _reached = new(false);
    private long _writes;
    private long _target = long.MaxValue;

    public long Writes => Interlocked.Read(ref _writes);

    public void OnWrite()
    {
        if (Interlocked.Increment(ref _writes) == Interlocked.Read(ref _target))
        {
            _reached.Set();
        }
    }

    /// <summary>Arms the counter for <paramref name="more"/> further writes; call before causing them.</summary>
    public void Expect(long more)
    {
        _reached.Reset();
        Interlocked.Exchange(ref _target, Writes + more);
    }

    public bool Wait(TimeSpan timeout) => _reached.Wait(timeout);
}
