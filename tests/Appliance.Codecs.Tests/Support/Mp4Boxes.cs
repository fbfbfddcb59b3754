using System.Buffers.Binary;
using System.Text;

namespace Appliance.Codecs.Tests.Support;

/// <summary>Finds configuration boxes in an MP4 init segment ffmpeg wrote, for comparing with what it says of them.</summary>
internal static class Mp4Boxes
{
    /// <summary>The payload of the first box of <paramref name="type"/> (found by its fourcc; init segments are small).</summary>
    public static byte[] Payload(byte[] file, string type)
    {
        var fourcc = Encoding.ASCII.GetBytes(type);
        var at = file.AsSpan().IndexOf(fourcc);
        Assert.True(at >= 4, $"no '{type}' box");
        var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at - 4, 4));
        return file.AsSpan(at + 4, size - 8).ToArray();
    }

    /// <summary>The AudioSpecificConfig inside an 'esds' box (ISO/IEC 14496-1 descriptors 0x03, 0x04, 0x05).</summary>
    public static byte[] AudioSpecificConfig(byte[] esds)
    {
        var offset = 4; // version and flags
        Assert.Equal(0x03, esds[offset++]);
        ReadSize(esds, ref offset);
        offset += 2; // ES_ID
        var flags = esds[offset++];
        offset += (flags & 0x80) != 0 ? 2 : 0;
        offset += (flags & 0x40) != 0 ? 1 + esds[offset] : 0;
        offset += (flags & 0x20) != 0 ? 2 : 0;
        Assert.Equal(0x04, esds[offset++]);
        ReadSize(esds, ref offset);
        offset += 13; // objectTypeIndication .. avgBitrate
        Assert.Equal(0x05, esds[offset++]);
        var length = ReadSize(esds, ref offset);
        return esds.AsSpan(offset, length).ToArray();
    }

    private static int ReadSize(byte[] data, ref int offset)
    {
        var size = 0;
        byte b;
        do
        {
            b = data[offset++];
            size = (size << 7) | (b & 0x7F);
        }
        while ((b & 0x80) != 0);
        return size;
    }
}
