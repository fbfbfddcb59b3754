using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Appliance.Core.Buffers;

/// <summary>
/// A ref-counted block of native memory. One publisher fills it once; any number of readers
/// (subscribers, senders) hold references and send the same bytes. The last <see cref="Release"/>
/// returns it to its pool. Exposes both a span and a raw pointer so it can feed writev/sendfile.
/// </summary>
public sealed unsafe class SharedBuffer : MemoryManager<byte>
{
    private readonly BufferPool? _pool;
    private byte* _pointer;
    private int _refCount;

    internal SharedBuffer(BufferPool? pool, int capacity)
    {
        _pool = pool;
        Capacity = capacity;
        _pointer = (byte*)NativeMemory.Alloc((nuint)capacity);
    }

    public int Capacity { get; }

    /// <summary>Bytes written so far; readers see <c>[0, Length)</c>.</summary>
    public int Length { get; set; }

    public byte* Pointer => _pointer;

    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>The written bytes.</summary>
    public Span<byte> Span => new(_pointer, Length);

    /// <summary>The whole capacity, for the writer that fills the buffer.</summary>
    public Span<byte> FullSpan => new(_pointer, Capacity);

    /// <summary>Rents a buffer of at least <paramref name="size"/> bytes with one reference held.</summary>
    public static SharedBuffer Rent(int size) => BufferPool.Shared.Rent(size);

    /// <summary>Rents a buffer holding a copy of <paramref name="bytes"/>.</summary>
    public static SharedBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var buffer = Rent(bytes.Length);
        bytes.CopyTo(buffer.FullSpan);
        buffer.Length = bytes.Length;
        return buffer;
    }

    public SharedBuffer AddRef()
    {
        var after = Interlocked.Increment(ref _refCount);
        Debug.Assert(after > 1, "AddRef on a released buffer");
        return this;
    }

    public void Release()
    {
        var after = Interlocked.Decrement(ref _refCount);
        if (after > 0)
        {
            return;
        }
        if (after < 0)
        {
            ThrowHelper.ThrowDoubleRelease();
        }
        if (_pool is null || !_pool.Return(this))
        {
            Free();
        }
    }

    internal void ResetForRent()
    {
        _refCount = 1;
        Length = 0;
    }

    internal void Free()
    {
        if (_pointer != null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }

    public override Span<byte> GetSpan() => FullSpan;

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        // Lifetime is governed by the reference count, not by IDisposable.
    }
}
