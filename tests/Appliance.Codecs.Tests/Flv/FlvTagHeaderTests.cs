using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class FlvTagHeaderTests
{
    [Fact]
    public void ReadsTypeSizeAndTheExtendedTimestamp()
    {
        // Video, DataSize 0x012345, timestamp low 24 bits 345678 with extended byte 12, stream id 0.
        var header = FlvTagHeader.Read(Hex.Bytes("09 012345 345678 12 000000 AABB"));

        Assert.Equal(FlvTagType.Video, header.Type);
        Assert.Equal(0x012345, header.DataSize);
        Assert.Equal(0x12345678u, header.Timestamp);
    }

    [Fact]
    public void ReadsWhatTheWriterWrote()
    {
        var tag = new byte[FlvWriter.TagLength(3)];
        FlvWriter.WriteTag(tag, FlvTagType.Script, 0xFF000001, [1, 2, 3]);

        var header = FlvTagHeader.Read(tag);

        Assert.Equal((FlvTagType.Script, 3, 0xFF000001u), (header.Type, header.DataSize, header.Timestamp));
    }

    [Fact]
    public void ReservedBitsAreClearedFromTheTypeButTheFilterBitIsKept()
    {
        Assert.Equal(FlvTagType.Audio, FlvTagHeader.Read(Hex.Bytes("C8 000000 000000 00 000000")).Type);
        var filtered = FlvTagHeader.Read(Hex.Bytes("28 000000 000000 00 000000"));
        Assert.Equal((FlvTagType)0x28, filtered.Type);
        Assert.Equal(0x28, filtered.TypeByte);
    }

    [Fact]
    public void AShortSpanIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvTagHeader.Read(new byte[FlvTagHeader.Length - 1]));
    }
}
