namespace Appliance.Core.Buffers;

/// <summary>A range of a <see cref="SharedBuffer"/>; the unit of a gather write.</summary>
public readonly record struct BufferSlice(SharedBuffer Buffer, int Offset, int Length)
{
    public BufferSlice(SharedBuffer buffer) : this(buffer, 0, buffer.Length)
    {
    }

    public ReadOnlySpan<byte> Span => Buffer.Span.Slice(Offset, Length);

    public ReadOnlyMemory<byte> Memory => Buffer.Memory.Slice(Offset, Length);
}
