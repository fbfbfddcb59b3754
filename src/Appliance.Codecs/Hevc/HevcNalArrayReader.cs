using System.Buffers.Binary;

namespace Appliance.Codecs.Hevc;

/// <summary>
/// Walks the NAL unit arrays of an HEVCDecoderConfigurationRecord (after its fixed part), one
/// unit at a time, with every length checked against the record. A truncated record ends the
/// walk with <see cref="Failed"/> set; nothing is read past the end.
/// </summary>
public ref struct HevcNalArrayReader
{
    private readonly ReadOnlySpan<byte> _record;
    private int _offset;
    private int _arraysLeft;
    private int _unitsLeft;
    private int _arrayType;

    public HevcNalArrayReader(ReadOnlySpan<byte> record)
    {
        _record = record;
        if (record.Length < HevcDecoderConfigurationRecord.FixedLength + 1)
        {
            Failed = true;
            return;
        }
        _arraysLeft = record[HevcDecoderConfigurationRecord.FixedLength];
        _offset = HevcDecoderConfigurationRecord.FixedLength + 1;
    }

    /// <summary>The record ended inside an array header or a unit.</summary>
    public bool Failed { get; private set; }

    /// <summary>The next unit and the NAL type its array declares; false at the end or on truncation.</summary>
    public bool TryReadNext(out int arrayType, out ReadOnlySpan<byte> nal)
    {
        arrayType = 0;
        nal = default;
        while (!Failed && _unitsLeft == 0)
        {
            if (_arraysLeft == 0)
            {
                return false;
            }
            if (_record.Length - _offset < 3)
            {
                Failed = true;
                return false;
            }
            _arrayType = _record[_offset] & 0x3F;
            _unitsLeft = BinaryPrimitives.ReadUInt16BigEndian(_record.Slice(_offset + 1, 2));
            _offset += 3;
            _arraysLeft--;
        }
        if (Failed || _record.Length - _offset < 2)
        {
            Failed = true;
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(_record.Slice(_offset, 2));
        _offset += 2;
        if (_record.Length - _offset < length)
        {
            Failed = true;
            return false;
        }
        arrayType = _arrayType;
        nal = _record.Slice(_offset, length);
        _offset += length;
        _unitsLeft--;
        return true;
    }
}
