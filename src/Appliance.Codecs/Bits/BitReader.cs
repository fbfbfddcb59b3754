namespace Appliance.Codecs.Bits;

/// <summary>
/// MSB-first bit reader over a span, with exp-Golomb codes, for codec headers (SPS, ASC).
/// Reading past the end never throws: it sets <see cref="Failed"/> and returns zeros, so a parser
/// reads a whole structure and checks once at the end. In <c>stripEmulationPrevention</c> mode
/// it drops the 0x03 of every 00 00 03 sequence, reading the RBSP of a NAL unit without a copy.
/// </summary>
public ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _stripEmulationPrevention;
    private int _position;
    private int _zeroRun;
    private uint _current;
    private int _bitsLeft;

    public BitReader(ReadOnlySpan<byte> data, bool stripEmulationPrevention = false)
    {
        _data = data;
        _stripEmulationPrevention = stripEmulationPrevention;
        _position = 0;
        _zeroRun = 0;
        _current = 0;
        _bitsLeft = 0;
        Failed = false;
    }

    /// <summary>True once any read ran past the end (or an exp-Golomb code was too long).</summary>
    public bool Failed { get; private set; }

    public bool ReadFlag() => ReadBits(1) != 0;

    /// <summary>Reads <paramref name="count"/> bits (0..32) as an unsigned big-endian number.</summary>
    public uint ReadBits(int count)
    {
        if ((uint)count > 32)
        {
            Failed = true;
            return 0;
        }
        ulong value = 0;
        while (count > 0)
        {
            if (_bitsLeft == 0 && !LoadByte())
            {
                Failed = true;
                return 0;
            }
            var take = Math.Min(count, _bitsLeft);
            var shift = _bitsLeft - take;
            var chunk = (_current >> shift) & ((1u << take) - 1);
            value = (value << take) | chunk;
            _bitsLeft -= take;
            count -= take;
        }
        return (uint)value;
    }

    public void SkipBits(int count)
    {
        while (count > 0 && !Failed)
        {
            var step = Math.Min(count, 32);
            ReadBits(step);
            count -= step;
        }
    }

    /// <summary>Unsigned exp-Golomb, ue(v). Codes longer than 32 bits fail the read.</summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (!ReadFlag())
        {
            if (Failed || ++leadingZeros > 31)
            {
                Failed = true;
                return 0;
            }
        }
        if (leadingZeros == 0)
        {
            return 0;
        }
        var suffix = ReadBits(leadingZeros);
        return Failed ? 0 : (uint)((1UL << leadingZeros) - 1 + suffix);
    }

    /// <summary>Signed exp-Golomb, se(v): 1, -1, 2, -2 ... for codes 1, 2, 3, 4 ...</summary>
    public int ReadSe()
    {
        long code = ReadUe();
        var magnitude = (code + 1) / 2;
        return (int)((code & 1) != 0 ? magnitude : -magnitude);
    }

    private bool LoadByte()
    {
        if (_position >= _data.Length)
        {
            return false;
        }
        var b = _data[_position++];
        if (_stripEmulationPrevention && _zeroRun >= 2 && b == 0x03)
        {
            _zeroRun = 0;
            if (_position >= _data.Length)
            {
                return false;
            }
            b = _data[_position++];
        }
        _zeroRun = b == 0 ? _zeroRun + 1 : 0;
        _current = b;
        _bitsLeft = 8;
        return true;
    }
}
