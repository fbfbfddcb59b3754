using Appliance.Core.Buffers;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// The bytes of a part of the segment in progress, pinnable from a snapshot read without a lock.
/// A pooled <see cref="SharedBuffer"/> cannot be pinned that way (once released it goes back to
/// the pool and may hold another part when a late reader adds its reference), so this wrapper,
/// made for one part and never reused, carries the reference count that can say "too late".
/// </summary>
internal sealed class PartBytes
{
    private readonly SharedBuffer _buffer;
    private int _refCount = 1;

    /// <summary>Takes over the caller's reference to <paramref name="buffer"/>.</summary>
    public PartBytes(SharedBuffer buffer) => _buffer = buffer;

    public int Length => _buffer.Length;

    public ReadOnlySpan<byte> Span => _buffer.Span;

    /// <summary>A reference of the caller's own to the buffer, or null once the part has been released.</summary>
    public SharedBuffer? TryPin()
    {
        while (true)
        {
            var count = Volatile.Read(ref _refCount);
            if (count <= 0)
            {
                return null;
            }
            if (Interlocked.CompareExchange(ref _refCount, count + 1, count) == count)
            {
                // Alive while this wrapper's count is held: taking the buffer's own reference is safe now.
                _buffer.AddRef();
                Release();
                return _buffer;
            }
        }
    }

    /// <summary>The packager's reference: the buffer goes back to the pool once every reader has released theirs.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            _buffer.Release();
        }
    }
}
