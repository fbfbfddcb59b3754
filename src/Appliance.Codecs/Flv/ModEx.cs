using System.Buffers.Binary;

namespace Appliance.Codecs.Flv;

/// <summary>
/// Enhanced RTMP v2 "ModEx" prefixes: packet type 7 is followed by a sized blob, then a nibble of
/// modifier type and a nibble with the real packet type, possibly ModEx again. We skip the blobs
/// (today only a nanosecond timestamp offset) to reach the real packet type.
/// </summary>
internal static class ModEx
{
    public const int PacketType = 7;

    // A stream cannot need more than a handful of modifiers; the cap stops a loop over junk.
    private const int MaxModifiers = 8;

    /// <summary>
    /// With <paramref name="offset"/> just past the byte whose low nibble was ModEx, skips every
    /// modifier. Returns false when the input ends first or nests beyond reason.
    /// </summary>
    public static bool TrySkip(ReadOnlySpan<byte> data, ref int offset, ref int packetType)
    {
        for (var i = 0; packetType == PacketType; i++)
        {
            if (i == MaxModifiers || offset >= data.Length)
            {
                return false;
            }
            var size = data[offset++] + 1;
            if (size == 256)
            {
                if (data.Length - offset < 2)
                {
                    return false;
                }
                size = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset, 2)) + 1;
                offset += 2;
            }
            // The blob, then one byte: modifier type (high nibble), next packet type (low nibble).
            if (data.Length - offset < size + 1)
            {
                return false;
            }
            offset += size;
            packetType = data[offset++] & 0x0F;
        }
        return true;
    }
}
