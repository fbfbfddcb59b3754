using System.Text;

namespace Appliance.Codecs.Amf0;

/// <summary>
/// Decodes AMF0 from untrusted input. Every length is checked against the bytes that remain
/// before anything is allocated, nesting is bounded (so a crafted message cannot exhaust the
/// stack) and so is the number of values (so it cannot amplify into millions of objects).
/// Bad input throws <see cref="Amf0FormatException"/> and nothing else.
/// </summary>
public static class Amf0Reader
{
    /// <summary>Deepest nesting of objects and arrays accepted; a top-level object is depth 1.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most values one <see cref="ReadValue"/> or <see cref="ReadAll"/> call may produce.</summary>
    public const int MaxValues = 65536;

    /// <summary>
    /// Reads one value at <paramref name="offset"/> and advances it past the value. On failure
    /// <paramref name="offset"/> is left unchanged.
    /// </summary>
    public static Amf0Value ReadValue(ReadOnlySpan<byte> data, ref int offset)
    {
        if ((uint)offset > (uint)data.Length)
        {
            throw new Amf0FormatException("AMF0 offset is outside the input.");
        }
        var parser = new Parser(data, offset);
        var value = parser.ReadValue(depth: 0);
        offset = parser.Offset;
        return value;
    }

    /// <summary>Reads values until the input ends, e.g. the arguments of an RTMP command.</summary>
    public static List<Amf0Value> ReadAll(ReadOnlySpan<byte> data)
    {
        var parser = new Parser(data, 0);
        var values = new List<Amf0Value>();
        while (parser.Offset < data.Length)
        {
            values.Add(parser.ReadValue(depth: 0));
        }
        return values;
    }

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _valuesLeft;

        public Parser(ReadOnlySpan<byte> data, int offset)
        {
            _data = data;
            _offset = offset;
            _valuesLeft = MaxValues;
        }

        private int _offset;

        public readonly int Offset => _offset;

        private readonly int Remaining => _data.Length - Offset;

        public Amf0Value ReadValue(int depth)
        {
            if (--_valuesLeft < 0)
            {
                throw new Amf0FormatException($"AMF0 input holds more than {MaxValues} values.");
            }
            var marker = ReadByte();
            switch (marker)
            {
                case Amf0Marker.Number:
                    return Amf0Value.FromNumber(ReadDouble());
                case Amf0Marker.Boolean:
                    return Amf0Value.FromBoolean(ReadByte() != 0);
                case Amf0Marker.String:
                    return Amf0Value.FromParsedString(ReadUtf8(ReadUInt16()));
                case Amf0Marker.LongString:
                    return Amf0Value.FromParsedString(ReadUtf8(ReadUInt32()));
                case Amf0Marker.Null:
                    return Amf0Value.Null;
                case Amf0Marker.Undefined:
                    return Amf0Value.Undefined;
                case Amf0Marker.Object:
                    return ReadProperties(Amf0Kind.Object, EnterNested(depth), declaredCount: -1);
                case Amf0Marker.TypedObject:
                    // The class name only matters to Flash's deserializer; the properties are what we use.
                    var nested = EnterNested(depth);
                    ReadUtf8(ReadUInt16());
                    return ReadProperties(Amf0Kind.Object, nested, declaredCount: -1);
                case Amf0Marker.EcmaArray:
                    var arrayDepth = EnterNested(depth);
                    var count = ReadUInt32();
                    return ReadProperties(Amf0Kind.EcmaArray, arrayDepth, count);
                case Amf0Marker.StrictArray:
                    return ReadStrictArray(EnterNested(depth));
                case Amf0Marker.Date:
                    var ms = ReadDouble();
                    return Amf0Value.Date(ms, (short)ReadUInt16());
                case Amf0Marker.AvmPlus:
                    throw new Amf0FormatException("AMF0 switch to AMF3 (marker 0x11) is not supported.");
                default:
                    throw new Amf0FormatException($"Unsupported AMF0 marker 0x{marker:X2} at offset {Offset - 1}.");
            }
        }

        private static int EnterNested(int depth)
        {
            if (depth >= MaxDepth)
            {
                throw new Amf0FormatException($"AMF0 nesting is deeper than {MaxDepth}.");
            }
            return depth + 1;
        }

        // Objects and ECMA arrays both end with an empty key followed by 0x09. The ECMA count is only a
        // hint (encoders get it wrong), except that an array whose input ends right after `count` pairs
        // without the end marker is accepted, as several encoders write it that way.
        private Amf0Value ReadProperties(Amf0Kind kind, int depth, long declaredCount)
        {
            var properties = new List<KeyValuePair<string, Amf0Value>>();
            while (true)
            {
                if (Remaining == 0 && declaredCount >= 0 && properties.Count == declaredCount)
                {
                    break;
                }
                var key = ReadUtf8(ReadUInt16());
                if (key.Length == 0 && Remaining > 0 && _data[Offset] == Amf0Marker.ObjectEnd)
                {
                    _offset++;
                    break;
                }
                properties.Add(new KeyValuePair<string, Amf0Value>(key, ReadValue(depth)));
            }
            return Amf0Value.FromParsed(kind, properties);
        }

        private Amf0Value ReadStrictArray(int depth)
        {
            var count = Amf0Bytes.ReadStrictArrayCount(_data, ref _offset, _valuesLeft);
            var items = new List<Amf0Value>((int)count);
            for (var i = 0u; i < count; i++)
            {
                items.Add(ReadValue(depth));
            }
            return Amf0Value.FromParsed(items);
        }

        private byte ReadByte() => Amf0Bytes.ReadByte(_data, ref _offset);

        private ushort ReadUInt16() => Amf0Bytes.ReadUInt16(_data, ref _offset);

        private uint ReadUInt32() => Amf0Bytes.ReadUInt32(_data, ref _offset);

        private double ReadDouble() => Amf0Bytes.ReadDouble(_data, ref _offset);

        private string ReadUtf8(uint length)
        {
            if (length > (uint)Remaining)
            {
                throw new Amf0FormatException($"AMF0 string of {length} bytes exceeds the {Remaining} bytes remaining.");
            }
            // Invalid UTF-8 becomes U+FFFD rather than an exception: a name we cannot read is still a name.
            var text = length == 0 ? string.Empty : Encoding.UTF8.GetString(_data.Slice(Offset, (int)length));
            _offset += (int)length;
            return text;
        }

        private readonly void Need(int count) => Amf0Bytes.Need(_data, _offset, count);
    }
}
