using System.Collections.Concurrent;
using System.Numerics;

namespace Appliance.Core.Buffers;

/// <summary>
/// Size-classed pool of <see cref="SharedBuffer"/>s (powers of two from 256 B to 4 MiB). Larger
/// requests are served unpooled. Each class retains a bounded number of free buffers so a burst
/// does not pin memory forever.
/// </summary>
public sealed class BufferPool
{
    public const int MinClassSize = 256;
    public const int MaxClassSize = 4 * 1024 * 1024;
    private const int MinShift = 8;
    private static readonly int ClassCount = BitOperations.Log2(MaxClassSize) - MinShift + 1;

    private readonly ConcurrentQueue<SharedBuffer>[] _free;
    private readonly int[] _freeCounts;
    private readonly int _maxRetainedBytesPerClass;
    private long _outstanding;

    public static BufferPool Shared { get; } = new(maxRetainedBytesPerClass: 64 * 1024 * 1024);

    public BufferPool(int maxRetainedBytesPerClass)
    {
        _maxRetainedBytesPerClass = maxRetainedBytesPerClass;
        _free = new ConcurrentQueue<SharedBuffer>[ClassCount];
        _freeCounts = new int[ClassCount];
        for (var i = 0; i < ClassCount; i++)
        {
            _free[i] = new ConcurrentQueue<SharedBuffer>();
        }
    }

    /// <summary>Buffers rented and not yet returned (for leak checks in tests and stats).</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    public SharedBuffer Rent(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Interlocked.Increment(ref _outstanding);
        var cls = ClassOf(size);
        if (cls < 0)
        {
            var big = new SharedBuffer(this, size);
            big.ResetForRent();
            return big;
        }
        if (_free[cls].TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _freeCounts[cls]);
        }
        else
        {
            buffer = new SharedBuffer(this, MinClassSize << cls);
        }
        buffer.ResetForRent();
        return buffer;
    }

    internal bool Return(SharedBuffer buffer)
    {
        Interlocked.Decrement(ref _outstanding);
        var cls = ClassOf(buffer.Capacity);
        if (cls < 0 || (MinClassSize << cls) != buffer.Capacity)
        {
            return false;
        }
        var limit = Math.Max(1, _maxRetainedBytesPerClass / buffer.Capacity);
        if (Interlocked.Increment(ref _freeCounts[cls]) > limit)
        {
            Interlocked.Decrement(ref _freeCounts[cls]);
            return false;
        }
        _free[cls].Enqueue(buffer);
        return true;
    }

    private static int ClassOf(int size)
    {
        if (size > MaxClassSize)
        {
            return -1;
        }
        if (size <= MinClassSize)
        {
            return 0;
        }
        return BitOperations.Log2((uint)size - 1) + 1 - MinShift;
    }
}
