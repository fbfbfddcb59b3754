using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Appliance.Codecs.Amf0;

/// <summary>Encodes AMF0 values, appending to any <see cref="IBufferWriter{T}"/>.</summary>
public static class Amf0Writer
{
    private const int MaxShortStringBytes = ushort.MaxValue;

    public static void Write(IBufferWriter<byte> w, Amf0Value v)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(v);
        switch (v.Kind)
        {
            case Amf0Kind.Number:
                WriteNumber(w, v.Number);
                break;
            case Amf0Kind.Boolean:
                WriteBoolean(w, v.Boolean);
                break;
            case Amf0Kind.String:
                WriteString(w, v.String ?? string.Empty);
                break;
            case Amf0Kind.Null:
                WriteNull(w);
                break;
            case Amf0Kind.Undefined:
                WriteMarker(w, Amf0Marker.Undefined);
                break;
            case Amf0Kind.Date:
                WriteDate(w, v.Number, v.TimeZone);
                break;
            case Amf0Kind.Object:
                WriteMarker(w, Amf0Marker.Object);
                WriteProperties(w, v.Properties);
                break;
            case Amf0Kind.EcmaArray:
                WriteMarker(w, Amf0Marker.EcmaArray);
                WriteUInt32(w, (uint)v.Properties.Count);
                WriteProperties(w, v.Properties);
                break;
            case Amf0Kind.StrictArray:
                WriteMarker(w, Amf0Marker.StrictArray);
                WriteUInt32(w, (uint)v.Items.Count);
                foreach (var item in v.Items)
                {
                    Write(w, item);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(v), v.Kind, "Unknown AMF0 kind.");
        }
    }

    public static void WriteNumber(IBufferWriter<byte> w, double v)
    {
        var span = w.GetSpan(9);
        span[0] = Amf0Marker.Number;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], v);
        w.Advance(9);
    }

    public static void WriteBoolean(IBufferWriter<byte> w, bool v)
    {
        var span = w.GetSpan(2);
        span[0] = Amf0Marker.Boolean;
        span[1] = v ? (byte)1 : (byte)0;
        w.Advance(2);
    }

    /// <summary>Writes a short string (0x02), or a long string (0x0C) beyond 65535 UTF-8 bytes.</summary>
    public static void WriteString(IBufferWriter<byte> w, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        WriteString(w, v.AsSpan());
    }

    /// <summary>A string from characters that need not be a string object (a reply's text put together on the stack).</summary>
    public static void WriteString(IBufferWriter<byte> w, ReadOnlySpan<char> v)
    {
        var length = Encoding.UTF8.GetByteCount(v);
        if (length > MaxShortStringBytes)
        {
            var head = w.GetSpan(5);
            head[0] = Amf0Marker.LongString;
            BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)length);
            w.Advance(5);
        }
        else
        {
            var head = w.GetSpan(3);
            head[0] = Amf0Marker.String;
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)length);
            w.Advance(3);
        }
        WriteUtf8(w, v, length);
    }

    public static void WriteNull(IBufferWriter<byte> w) => WriteMarker(w, Amf0Marker.Null);

    public static void WriteDate(IBufferWriter<byte> w, double ms, short tz = 0)
    {
        var span = w.GetSpan(11);
        span[0] = Amf0Marker.Date;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], ms);
        BinaryPrimitives.WriteInt16BigEndian(span[9..], tz);
        w.Advance(11);
    }

    /// <summary>
    /// Opens an anonymous object written piece by piece: <see cref="WritePropertyName"/> and a value,
    /// as often as needed, then <see cref="WriteObjectEnd"/>. The same bytes as an <see cref="Amf0Value"/>
    /// object, without building one (a server's constant replies).
    /// </summary>
    public static void WriteObjectStart(IBufferWriter<byte> w) => WriteMarker(w, Amf0Marker.Object);

    /// <summary>A property's name inside an object: its UTF-8 length (u16) and bytes, no marker.</summary>
    public static void WritePropertyName(IBufferWriter<byte> w, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyLength = Encoding.UTF8.GetByteCount(key);
        if (keyLength > MaxShortStringBytes)
        {
            throw new ArgumentException($"AMF0 property name of {keyLength} UTF-8 bytes exceeds 65535.");
        }
        var head = w.GetSpan(2);
        BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)keyLength);
        w.Advance(2);
        WriteUtf8(w, key, keyLength);
    }

    /// <summary>Ends an object (or ECMA array): an empty name, then 0x09.</summary>
    public static void WriteObjectEnd(IBufferWriter<byte> w)
    {
        var end = w.GetSpan(3);
        end[0] = 0;
        end[1] = 0;
        end[2] = Amf0Marker.ObjectEnd;
        w.Advance(3);
    }

    /// <summary>Object and ECMA array body: keys (u16 length, no marker), values, then 00 00 09.</summary>
    private static void WriteProperties(IBufferWriter<byte> w, IReadOnlyList<KeyValuePair<string, Amf0Value>> properties)
    {
        foreach (var property in properties)
        {
            WritePropertyName(w, property.Key);
            Write(w, property.Value);
        }
        WriteObjectEnd(w);
    }

    private static void WriteUtf8(IBufferWriter<byte> w, ReadOnlySpan<char> text, int byteCount)
    {
        if (byteCount == 0)
        {
            return;
        }
        var span = w.GetSpan(byteCount);
        var written = Encoding.UTF8.GetBytes(text, span);
        w.Advance(written);
    }

    private static void WriteMarker(IBufferWriter<byte> w, byte marker)
    {
        var span = w.GetSpan(1);
        span[0] = marker;
        w.Advance(1);
    }

    private static void WriteUInt32(IBufferWriter<byte> w, uint value)
    {
        var span = w.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(span, value);
        w.Advance(4);
    }
}
