namespace Appliance.Codecs.Amf0;

/// <summary>
/// Walks AMF0 input value by value without building <see cref="Amf0Value"/>s: a reader that needs
/// a few fields of a message (an RTMP command's name, an object's "app") takes them as spans and
/// skips the rest. It accepts exactly what <see cref="Amf0Reader.ReadValue"/> accepts, with the
/// same bounds (nesting, values per cursor, lengths checked before use); bad input throws
/// <see cref="Amf0FormatException"/>. A cursor counts values as one <see cref="Amf0Reader.ReadValue"/>
/// call does: start a new cursor where the reader would start a new call.
/// </summary>
public ref struct Amf0Cursor
{
    private readonly ReadOnlySpan<byte> _data;
    private int _valuesLeft;
    private int _depth;

    public Amf0Cursor(ReadOnlySpan<byte> data, int offset)
    {
        if ((uint)offset > (uint)data.Length)
        {
            throw new Amf0FormatException("AMF0 offset is outside the input.");
        }
        _data = data;
        _offset = offset;
        _valuesLeft = Amf0Reader.MaxValues;
    }

    private int _offset;

    public readonly int Offset => _offset;

    public readonly bool AtEnd => Offset >= _data.Length;

    /// <summary>An object, typed object or ECMA array is next (a value with properties).</summary>
    public readonly bool NextIsObjectLike =>
        !AtEnd && _data[Offset] is Amf0Marker.Object or Amf0Marker.TypedObject or Amf0Marker.EcmaArray;

    private readonly int Remaining => _data.Length - Offset;

    /// <summary>A string (short or long) is next: its UTF-8 bytes, and the cursor moves past it; otherwise false and nothing moves.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        if (AtEnd || _data[Offset] is not (Amf0Marker.String or Amf0Marker.LongString))
        {
            return false;
        }
        CountValue();
        var marker = _data[_offset++];
        utf8 = ReadUtf8Bytes(marker == Amf0Marker.String ? ReadUInt16() : ReadUInt32());
        return true;
    }

    /// <summary>A number is next: its value, and the cursor moves past it; otherwise false.</summary>
    public bool TryReadNumber(out double value)
    {
        value = 0;
        if (AtEnd || _data[Offset] != Amf0Marker.Number)
        {
            return false;
        }
        CountValue();
        _offset++;
        value = ReadDouble();
        return true;
    }

    /// <summary>A boolean is next: its value, and the cursor moves past it; otherwise false.</summary>
    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (AtEnd || _data[Offset] != Amf0Marker.Boolean)
        {
            return false;
        }
        CountValue();
        _offset++;
        value = ReadByte() != 0;
        return true;
    }

    /// <summary>
    /// An anonymous object (marker 0x03) is next: the cursor moves into it, where
    /// <see cref="TryReadPropertyName"/> and the value reads take its properties; otherwise false.
    /// </summary>
    public bool TryEnterObject()
    {
        if (AtEnd || _data[Offset] != Amf0Marker.Object)
        {
            return false;
        }
        CountValue();
        _offset++;
        _depth = EnterNested(_depth);
        return true;
    }

    /// <summary>
    /// Inside an object: the next property's name (UTF-8), its value to be read or skipped next; false
    /// at the end marker, which moves the cursor out of the object.
    /// </summary>
    public bool TryReadPropertyName(out ReadOnlySpan<byte> utf8)
    {
        utf8 = ReadUtf8Bytes(ReadUInt16());
        if (utf8.IsEmpty && Remaining > 0 && _data[Offset] == Amf0Marker.ObjectEnd)
        {
            _offset++;
            _depth--;
            return false;
        }
        return true;
    }

    /// <summary>Moves past the next value, whatever it is, checking it as the reader would.</summary>
    public void SkipValue() => Skip(_depth);

    private void Skip(int depth)
    {
        CountValue();
        var marker = ReadByte();
        switch (marker)
        {
            case Amf0Marker.Number:
                Need(8);
                _offset += 8;
                return;
            case Amf0Marker.Boolean:
                ReadByte();
                return;
            case Amf0Marker.String:
                ReadUtf8Bytes(ReadUInt16());
                return;
            case Amf0Marker.LongString:
                ReadUtf8Bytes(ReadUInt32());
                return;
            case Amf0Marker.Null:
            case Amf0Marker.Undefined:
                return;
            case Amf0Marker.Object:
                SkipProperties(EnterNested(depth), declaredCount: -1);
                return;
            case Amf0Marker.TypedObject:
                var nested = EnterNested(depth);
                ReadUtf8Bytes(ReadUInt16());
                SkipProperties(nested, declaredCount: -1);
                return;
            case Amf0Marker.EcmaArray:
                var arrayDepth = EnterNested(depth);
                SkipProperties(arrayDepth, ReadUInt32());
                return;
            case Amf0Marker.StrictArray:
                SkipStrictArray(EnterNested(depth));
                return;
            case Amf0Marker.Date:
                Need(8);
                _offset += 8;
                ReadUInt16();
                return;
            case Amf0Marker.AvmPlus:
                throw new Amf0FormatException("AMF0 switch to AMF3 (marker 0x11) is not supported.");
            default:
                throw new Amf0FormatException($"Unsupported AMF0 marker 0x{marker:X2} at offset {Offset - 1}.");
        }
    }

    // The same end rules as the reader's: an empty key then 0x09 ends it, and an ECMA array may end
    // with the input right after its declared count of pairs.
    private void SkipProperties(int depth, long declaredCount)
    {
        var count = 0L;
        while (true)
        {
            if (Remaining == 0 && declaredCount >= 0 && count == declaredCount)
            {
                return;
            }
            var key = ReadUtf8Bytes(ReadUInt16());
            if (key.IsEmpty && Remaining > 0 && _data[Offset] == Amf0Marker.ObjectEnd)
            {
                _offset++;
                return;
            }
            Skip(depth);
            count++;
        }
    }

    private void SkipStrictArray(int depth)
    {
        var count = Amf0Bytes.ReadStrictArrayCount(_data, ref _offset, _valuesLeft);
        for (var i = 0u; i < count; i++)
        {
            Skip(depth);
        }
    }

    private void CountValue()
    {
        if (--_valuesLeft < 0)
        {
            throw new Amf0FormatException($"AMF0 input holds more than {Amf0Reader.MaxValues} values.");
        }
    }

    private static int EnterNested(int depth)
    {
        if (depth >= Amf0Reader.MaxDepth)
        {
            throw new Amf0FormatException($"AMF0 nesting is deeper than {Amf0Reader.MaxDepth}.");
        }
        return depth + 1;
    }

    private byte ReadByte() => Amf0Bytes.ReadByte(_data, ref _offset);

    private ushort ReadUInt16() => Amf0Bytes.ReadUInt16(_data, ref _offset);

    private uint ReadUInt32() => Amf0Bytes.ReadUInt32(_data, ref _offset);

    private double ReadDouble() => Amf0Bytes.ReadDouble(_data, ref _offset);

    private ReadOnlySpan<byte> ReadUtf8Bytes(uint length)
    {
        if (length > (uint)Remaining)
        {
            throw new Amf0FormatException($"AMF0 string of {length} bytes exceeds the {Remaining} bytes remaining.");
        }
        var bytes = _data.Slice(Offset, (int)length);
        _offset += (int)length;
        return bytes;
    }

    private readonly void Need(int count) => Amf0Bytes.Need(_data, _offset, count);
}
