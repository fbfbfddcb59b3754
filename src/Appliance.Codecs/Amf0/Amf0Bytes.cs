using System.Buffers.Binary;

namespace Appliance.Codecs.Amf0;

/// <summary>
/// AMF0's big-endian primitives read at an offset that they advance, each checked against the bytes
/// that remain: the decoder (<see cref="Amf0Reader"/>) and the in-place cursor (<see cref="Amf0Cursor"/>)
/// read them alike and fail alike.
/// </summary>
internal static class Amf0Bytes
{
    public static byte ReadByte(ReadOnlySpan<byte> data, ref int offset)
    {
        Need(data, offset, 1);
        return data[offset++];
    }

    public static ushort ReadUInt16(ReadOnlySpan<byte> data, ref int offset)
    {
        Need(data, offset, 2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset, 2));
        offset += 2;
        return value;
    }

    public static uint ReadUInt32(ReadOnlySpan<byte> data, ref int offset)
    {
        Need(data, offset, 4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset, 4));
        offset += 4;
        return value;
    }

    public static double ReadDouble(ReadOnlySpan<byte> data, ref int offset)
    {
        Need(data, offset, 8);
        var value = BinaryPrimitives.ReadDoubleBigEndian(data.Slice(offset, 8));
        offset += 8;
        return value;
    }

    /// <summary>
    /// A strict array's item count, refused when it cannot be honest (every item takes at least its
    /// marker byte) or would pass the values still allowed.
    /// </summary>
    public static uint ReadStrictArrayCount(ReadOnlySpan<byte> data, ref int offset, int valuesLeft)
    {
        var count = ReadUInt32(data, ref offset);
        var remaining = data.Length - offset;
        if (count > (uint)remaining)
        {
            throw new Amf0FormatException($"AMF0 strict array claims {count} items but only {remaining} bytes remain.");
        }
        if (count > (uint)valuesLeft)
        {
            throw new Amf0FormatException($"AMF0 input holds more than {Amf0Reader.MaxValues} values.");
        }
        return count;
    }

    public static void Need(ReadOnlySpan<byte> data, int offset, int count)
    {
        if (data.Length - offset < count)
        {
            throw new Amf0FormatException($"AMF0 input truncated at offset {offset}: needed {count} more bytes.");
        }
    }
}
