using System.Buffers.Binary;

namespace Appliance.Codecs.Fmp4;

/// <summary>
/// Big-endian writes into a span already sized by the Measure methods. Every box is opened with
/// its computed size and closed with a check that exactly that many bytes went in, so a size
/// formula that drifts from the writing code fails loudly instead of producing a corrupt file.
/// </summary>
internal ref struct BoxWriter
{
    private const int HeaderLength = 8;
    private const int FullHeaderLength = 12;

    private readonly Span<byte> _buffer;

    public BoxWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    public int Position { get; private set; }

    /// <summary>Writes the size and type of a box of <paramref name="size"/> bytes; returns where it starts, for <see cref="End"/>.</summary>
    public int Begin(ReadOnlySpan<byte> type, int size)
    {
        var start = Position;
        U32((uint)size);
        FourCc(type);
        return start;
    }

    /// <summary>As <see cref="Begin"/> for a FullBox: the version byte and 24 bits of flags follow the type.</summary>
    public int BeginFull(ReadOnlySpan<byte> type, int size, byte version, uint flags)
    {
        var start = Begin(type, size);
        U32(((uint)version << 24) | (flags & 0xFFFFFF));
        return start;
    }

    /// <summary>Checks that the box opened at <paramref name="start"/> holds exactly <paramref name="size"/> bytes.</summary>
    public readonly void End(int start, int size, ReadOnlySpan<byte> type)
    {
        if (Position - start != size)
        {
            throw new InvalidOperationException($"The '{System.Text.Encoding.ASCII.GetString(type)}' box was measured at {size} bytes but {Position - start} were written.");
        }
    }

    public void U8(byte value) => _buffer[Position++] = value;

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(Position, 2), value);
        Position += 2;
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(Position, 4), value);
        Position += 4;
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.Slice(Position, 4), value);
        Position += 4;
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.Slice(Position, 8), value);
        Position += 8;
    }

    public void FourCc(ReadOnlySpan<byte> type)
    {
        if (type.Length != 4)
        {
            throw new ArgumentException("A box type or brand is four bytes.", nameof(type));
        }
        Bytes(type);
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    public void Zeros(int count)
    {
        _buffer.Slice(Position, count).Clear();
        Position += count;
    }

    public static int Box(int payload) => HeaderLength + payload;

    public static int FullBox(int payload) => FullHeaderLength + payload;
}
