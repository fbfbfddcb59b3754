using System.Buffers;

namespace Appliance.Core.Buffers;

/// <summary>
/// Immutable bytes held by a file descriptor (a memfd) and mapped read-only into memory, with a
/// reference count. Transports send it with sendfile(2); where they cannot, they send from the
/// mapping. Readers that find it through a lock-free index pin it with <see cref="TryAddRef"/>,
/// which fails once the last reference is gone, so a response never sends freed bytes.
/// </summary>
public abstract unsafe class SharedFile
{
    private int _refCount = 1;

    public abstract int FileDescriptor { get; }

    public abstract long Length { get; }

    /// <summary>The read-only mapping of the whole file.</summary>
    public abstract byte* Pointer { get; }

    /// <summary>The mapping as memory, for APIs that take <see cref="ReadOnlyMemory{T}"/>.</summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>Takes a reference unless the file is already being freed.</summary>
    public bool TryAddRef()
    {
        while (true)
        {
            var count = Volatile.Read(ref _refCount);
            if (count <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _refCount, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        var after = Interlocked.Decrement(ref _refCount);
        if (after == 0)
        {
            Free();
        }
        else if (after < 0)
        {
            ThrowHelper.ThrowDoubleRelease();
        }
    }

    protected abstract void Free();

    /// <summary>Wraps a native mapping as <see cref="Memory{T}"/> without copying.</summary>
    protected sealed class MappedMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
