using System.Buffers;
using System.Buffers.Binary;
using Appliance.Core.Buffers;

namespace Appliance.Codecs.Flv;

/// <summary>
/// Incremental parser of an FLV byte stream (the client side of HTTP-FLV). Feed it whatever has
/// arrived; it consumes whole units only (the file header, or one tag with its PreviousTagSize),
/// so the caller can keep the unconsumed rest and call again when more arrives.
/// </summary>
public sealed class FlvStreamReader
{
    private const int SignatureAndFlagsLength = 5;
    private const int HeaderLength = 9;

    // Real files always say 9; a larger offset is legal but anything past this is an attempt to
    // make us buffer junk before the first tag.
    private const int MaxDataOffset = 1024;

    private readonly int _maxTagSize;

    public FlvStreamReader(int maxTagSize = 16 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTagSize);
        _maxTagSize = maxTagSize;
    }

    public bool HeaderSeen { get; private set; }

    /// <summary>
    /// Reads the file header (on the first call) and then one tag. Returns false when more bytes
    /// are needed; the reader is then left after the last complete unit. The tag's payload is a
    /// fresh <see cref="SharedBuffer"/> the caller must release.
    /// </summary>
    /// <exception cref="FlvFormatException">
    /// A bad signature or data offset, a tag larger than the limit, an unknown tag type, or a
    /// PreviousTagSize that does not match the tag before it.
    /// </exception>
    public bool TryReadTag(ref SequenceReader<byte> reader, out FlvTag tag)
    {
        tag = default;
        if (!HeaderSeen && !TryReadFileHeader(ref reader))
        {
            return false;
        }

        Span<byte> header = stackalloc byte[FlvWriter.TagHeaderLength];
        if (!reader.TryCopyTo(header))
        {
            // Reject an oversized or unknown tag as soon as its first bytes show it, not after buffering it.
            var available = (int)Math.Min(reader.Remaining, header.Length);
            if (available > 0)
            {
                reader.UnreadSequence.Slice(0, available).CopyTo(header);
                RejectEarly(header[..available]);
            }
            return false;
        }
        var tagHeader = FlvTagHeader.Read(header);
        Validate(tagHeader, sizeKnown: true);
        var dataSize = tagHeader.DataSize;
        long unitLength = FlvWriter.TagHeaderLength + dataSize + FlvWriter.TagTrailerLength;
        if (reader.Remaining < unitLength)
        {
            return false;
        }

        var unread = reader.UnreadSequence;
        Span<byte> trailer = stackalloc byte[FlvWriter.TagTrailerLength];
        unread.Slice(FlvWriter.TagHeaderLength + dataSize, FlvWriter.TagTrailerLength).CopyTo(trailer);
        var previousTagSize = BinaryPrimitives.ReadUInt32BigEndian(trailer);
        if (previousTagSize != (uint)(FlvWriter.TagHeaderLength + dataSize))
        {
            throw new FlvFormatException($"FLV PreviousTagSize {previousTagSize} does not match the tag size {FlvWriter.TagHeaderLength + dataSize}.");
        }

        var payload = SharedBuffer.Rent(dataSize);
        unread.Slice(FlvWriter.TagHeaderLength, dataSize).CopyTo(payload.FullSpan);
        payload.Length = dataSize;
        reader.Advance(unitLength);
        tag = new FlvTag(tagHeader.Type, tagHeader.Timestamp, payload);
        return true;
    }

    private bool TryReadFileHeader(ref SequenceReader<byte> reader)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        var available = (int)Math.Min(reader.Remaining, HeaderLength);
        reader.UnreadSequence.Slice(0, available).CopyTo(header);
        // Check what has arrived so a non-FLV response fails at once instead of waiting for 13 bytes.
        ReadOnlySpan<byte> signature = "FLV"u8;
        for (var i = 0; i < Math.Min(available, signature.Length); i++)
        {
            if (header[i] != signature[i])
            {
                throw new FlvFormatException("Not an FLV stream: bad signature.");
            }
        }
        if (available < HeaderLength)
        {
            return false;
        }
        var dataOffset = BinaryPrimitives.ReadUInt32BigEndian(header[SignatureAndFlagsLength..]);
        if (dataOffset is < HeaderLength or > MaxDataOffset)
        {
            throw new FlvFormatException($"FLV header DataOffset {dataOffset} is outside {HeaderLength}..{MaxDataOffset}.");
        }
        long unitLength = dataOffset + FlvWriter.TagTrailerLength;
        if (reader.Remaining < unitLength)
        {
            return false;
        }
        Span<byte> previousTagSize0 = stackalloc byte[FlvWriter.TagTrailerLength];
        reader.UnreadSequence.Slice(dataOffset, FlvWriter.TagTrailerLength).CopyTo(previousTagSize0);
        if (BinaryPrimitives.ReadUInt32BigEndian(previousTagSize0) != 0)
        {
            throw new FlvFormatException("FLV PreviousTagSize0 is not 0.");
        }
        reader.Advance(unitLength);
        HeaderSeen = true;
        return true;
    }

    /// <summary>Checks what a tag header prefix already shows: the type byte and, once there, the 24-bit DataSize.</summary>
    private void RejectEarly(ReadOnlySpan<byte> prefix)
    {
        Span<byte> header = stackalloc byte[FlvTagHeader.Length];
        prefix.CopyTo(header);
        Validate(FlvTagHeader.Read(header), sizeKnown: prefix.Length >= 4);
    }

    private void Validate(in FlvTagHeader header, bool sizeKnown)
    {
        // Bits 6-7 are reserved and ignored; bit 5 (Filter) marks encrypted payloads, which we cannot use.
        if (header.Type is not (FlvTagType.Audio or FlvTagType.Video or FlvTagType.Script))
        {
            throw new FlvFormatException($"Unknown FLV tag type 0x{header.TypeByte:X2}.");
        }
        if (sizeKnown && header.DataSize > _maxTagSize)
        {
            throw new FlvFormatException($"FLV tag of {header.DataSize} bytes exceeds the {_maxTagSize}-byte limit.");
        }
    }
}
