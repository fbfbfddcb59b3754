namespace Appliance.Protocols.Http;

/// <summary>Enumerates the lines of a block that <see cref="FieldBlock.Scan"/> accepted.</summary>
internal ref struct FieldLineReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _pos;

    public FieldLineReader(ReadOnlySpan<byte> buffer, int start)
    {
        _buffer = buffer;
        _pos = start;
    }

    public bool MoveNext(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int lf = _buffer[_pos..].IndexOf((byte)'\n');
        if (lf <= 1)
        {
            name = default;
            value = default;
            return false;
        }
        FieldBlock.Split(_buffer.Slice(_pos, lf - 1), out name, out value);
        _pos += lf + 1;
        return true;
    }
}
