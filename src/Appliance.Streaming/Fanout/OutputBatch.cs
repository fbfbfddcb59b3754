using System.Buffers;
using Appliance.Core.Buffers;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// The buffers of one gather write, each with a reference held until the write completes.
/// Reused by its writer for every flush, so a flush allocates nothing. Its byte bound keeps one
/// write short (a slow viewer still completes writes, so it is seen as slow and skipped ahead,
/// not mistaken for a stalled one); a single larger frame still goes alone.
/// </summary>
public sealed class OutputBatch
{
    private const int OwnSlices = 8;

    private readonly BufferSlice[] _own = new BufferSlice[OwnSlices];
    private BufferSlice[] _slices;

    public OutputBatch(int maxSlices = 256, long maxBytes = 256 * 1024)
    {
        _slices = _own;
        MaxSlices = maxSlices;
        MaxBytes = maxBytes;
    }

    public int MaxSlices { get; }

    public long MaxBytes { get; }

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    public bool IsFull => Count >= MaxSlices || Bytes >= MaxBytes;

    public ReadOnlyMemory<BufferSlice> Slices => _slices.AsMemory(0, Count);

    /// <summary>Adds the whole written part of <paramref name="buffer"/>, taking a reference of its own.</summary>
    public void Add(SharedBuffer buffer) => AddOwned(buffer.AddRef());

    /// <summary>Adds a buffer whose reference the caller hands over.</summary>
    public void AddOwned(SharedBuffer buffer) => Append(new BufferSlice(buffer));

    /// <summary>Adds part of <paramref name="buffer"/> (a shared frame's bytes after a header of the viewer's own), taking a reference of its own.</summary>
    public void AddSlice(SharedBuffer buffer, int offset, int length)
    {
        if (length > 0)
        {
            Append(new BufferSlice(buffer.AddRef(), offset, length));
        }
    }

    private void Append(BufferSlice slice)
    {
        if (Count == _slices.Length)
        {
            // A burst (a viewer's GOP-cache join) borrows a bigger array for one write, so no
            // viewer keeps one for good.
            var bigger = ArrayPool<BufferSlice>.Shared.Rent(_slices.Length * 2);
            _slices.AsSpan(0, Count).CopyTo(bigger);
            ReturnBorrowed();
            _slices = bigger;
        }
        _slices[Count++] = slice;
        Bytes += slice.Length;
    }

    public void ReleaseAll()
    {
        for (var i = 0; i < Count; i++)
        {
            _slices[i].Buffer.Release();
            _slices[i] = default;
        }
        Count = 0;
        Bytes = 0;
        ReturnBorrowed();
        _slices = _own;
    }

    private void ReturnBorrowed()
    {
        if (!ReferenceEquals(_slices, _own))
        {
            ArrayPool<BufferSlice>.Shared.Return(_slices, clearArray: true);
        }
    }
}
