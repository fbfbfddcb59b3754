namespace Appliance.Codecs.Flv;

/// <summary>
/// The 11 bytes before each FLV tag's payload (FLV spec annex E.4.1): the type byte, the 24-bit
/// DataSize, the timestamp (low 24 bits, then the extended high byte) and a stream id that is
/// always 0. Read from a span, for FLV streams and for RTMP aggregate messages alike.
/// </summary>
public readonly struct FlvTagHeader
{
    public const int Length = FlvWriter.TagHeaderLength;

    private FlvTagHeader(byte typeByte, int dataSize, uint timestamp)
    {
        TypeByte = typeByte;
        DataSize = dataSize;
        Timestamp = timestamp;
    }

    /// <summary>The first byte as sent: two reserved bits, the Filter bit, then the 5-bit type (RTMP's message type id).</summary>
    public byte TypeByte { get; }

    /// <summary>The type with the reserved bits cleared; the Filter bit stays, so an encrypted tag is no known type.</summary>
    public FlvTagType Type => (FlvTagType)(TypeByte & 0x3F);

    public int DataSize { get; }

    public uint Timestamp { get; }

    /// <summary>Reads the header at the start of <paramref name="bytes"/>, which holds at least <see cref="Length"/> bytes.</summary>
    public static FlvTagHeader Read(ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes.Length, Length, nameof(bytes));
        var dataSize = (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        var timestamp = (uint)((bytes[4] << 16) | (bytes[5] << 8) | bytes[6]) | ((uint)bytes[7] << 24);
        return new FlvTagHeader(bytes[0], dataSize, timestamp);
    }
}
