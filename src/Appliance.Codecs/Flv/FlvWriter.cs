using System.Buffers.Binary;

namespace Appliance.Codecs.Flv;

/// <summary>Writes the FLV file header and tags (FLV spec v10.1, annex E) into caller-provided spans.</summary>
public static class FlvWriter
{
    /// <summary>The 9-byte header plus PreviousTagSize0.</summary>
    public const int FileHeaderLength = 13;
    public const int TagHeaderLength = 11;
    public const int TagTrailerLength = 4;

    /// <summary>A tag's DataSize field is 24 bits.</summary>
    public const int MaxPayloadLength = 0xFFFFFF;

    public static int TagLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayloadLength);
        return TagHeaderLength + payloadLength + TagTrailerLength;
    }

    public static void WriteFileHeader(Span<byte> dest, bool hasAudio, bool hasVideo)
    {
        if (dest.Length < FileHeaderLength)
        {
            throw new ArgumentException($"Destination needs {FileHeaderLength} bytes.", nameof(dest));
        }
        dest[0] = (byte)'F';
        dest[1] = (byte)'L';
        dest[2] = (byte)'V';
        dest[3] = 1;
        dest[4] = (byte)((hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(dest[5..], 9);
        BinaryPrimitives.WriteUInt32BigEndian(dest[9..], 0);
    }

    /// <summary>Writes header, payload and PreviousTagSize; returns the bytes written.</summary>
    public static int WriteTag(Span<byte> dest, FlvTagType type, uint timestampMs, ReadOnlySpan<byte> payload)
    {
        var total = TagLength(payload.Length);
        if (dest.Length < total)
        {
            throw new ArgumentException($"Destination needs {total} bytes.", nameof(dest));
        }
        WriteTagHeader(dest, type, timestampMs, payload.Length);
        payload.CopyTo(dest[TagHeaderLength..]);
        BinaryPrimitives.WriteUInt32BigEndian(dest[(TagHeaderLength + payload.Length)..], (uint)(TagHeaderLength + payload.Length));
        return total;
    }

    /// <summary>The 11-byte tag header; <see cref="WriteTag"/> has checked the lengths.</summary>
    private static void WriteTagHeader(Span<byte> dest, FlvTagType type, uint timestampMs, int payloadLength)
    {
        dest[0] = (byte)type;
        WriteUInt24(dest[1..], (uint)payloadLength);
        WriteTagTimestamp(dest, timestampMs);
        WriteUInt24(dest[8..], 0);
    }

    /// <summary>Sets the timestamp of the tag whose 11-byte header starts <paramref name="tagHeader"/>.</summary>
    public static void WriteTagTimestamp(Span<byte> tagHeader, uint timestampMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagHeader.Length, TagHeaderLength, nameof(tagHeader));
        // The timestamp's low 24 bits come first and its high 8 bits last ("TimestampExtended").
        WriteUInt24(tagHeader[4..], timestampMs & 0xFFFFFF);
        tagHeader[7] = (byte)(timestampMs >> 24);
    }

    /// <summary>
    /// Writes a video tag's CompositionTime (PTS minus DTS, signed 24-bit), the last three bytes of
    /// the header <see cref="VideoTagInfo"/> measures when it has one.
    /// </summary>
    public static void WriteCompositionTime(Span<byte> field, int compositionTimeMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compositionTimeMs, -0x800000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compositionTimeMs, 0x7FFFFF);
        WriteUInt24(field, (uint)compositionTimeMs & 0xFFFFFF);
    }

    private static void WriteUInt24(Span<byte> dest, uint value)
    {
        dest[0] = (byte)(value >> 16);
        dest[1] = (byte)(value >> 8);
        dest[2] = (byte)value;
    }
}
