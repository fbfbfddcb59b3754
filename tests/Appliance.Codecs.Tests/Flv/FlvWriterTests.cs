using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class FlvWriterTests
{
    [Theory]
    [InlineData(true, true, "464C5601 05 00000009 00000000")]
    [InlineData(false, true, "464C5601 01 00000009 00000000")]
    [InlineData(true, false, "464C5601 04 00000009 00000000")]
    [InlineData(false, false, "464C5601 00 00000009 00000000")]
    public void FileHeader(bool hasAudio, bool hasVideo, string hex)
    {
        var dest = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(dest, hasAudio, hasVideo);
        Assert.Equal(Hex.Bytes(hex), dest);
    }

    [Fact]
    public void TagWithExtendedTimestamp()
    {
        var dest = new byte[FlvWriter.TagLength(2)];
        var written = FlvWriter.WriteTag(dest, FlvTagType.Video, 0x12345678, [0xAA, 0xBB]);
        Assert.Equal(17, written);
        // type, DataSize 2, timestamp low 24 bits 345678, extended byte 12, stream id 0, payload, PreviousTagSize 13.
        Assert.Equal(Hex.Bytes("09 000002 345678 12 000000 AABB 0000000D"), dest);
    }

    [Fact]
    public void ScriptTagWithEmptyPayload()
    {
        var dest = new byte[20];
        dest.AsSpan().Fill(0xEE);
        var written = FlvWriter.WriteTag(dest, FlvTagType.Script, 40, []);
        Assert.Equal(15, written);
        Assert.Equal(Hex.Bytes("12 000000 000028 00 000000 0000000B EEEEEEEEEE"), dest);
    }

    [Fact]
    public void TagLength() => Assert.Equal(11 + 100 + 4, FlvWriter.TagLength(100));

    [Fact]
    public void RejectsShortDestinationsAndOversizedPayloads()
    {
        Assert.Throws<ArgumentException>(() => FlvWriter.WriteFileHeader(new byte[12], true, true));
        Assert.Throws<ArgumentException>(() => FlvWriter.WriteTag(new byte[16], FlvTagType.Audio, 0, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvWriter.TagLength(0x1000000));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvWriter.TagLength(-1));
    }

    [Fact]
    public void RewritesATagsTimestampInPlace()
    {
        var tag = new byte[FlvWriter.TagLength(2)];
        FlvWriter.WriteTag(tag, FlvTagType.Video, 40, [0xAA, 0xBB]);

        FlvWriter.WriteTagTimestamp(tag, 0x12345678);

        Assert.Equal(Hex.Bytes("09 000002 345678 12 000000 AABB 0000000D"), tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvWriter.WriteTagTimestamp(new byte[10], 0));
    }

    [Theory]
    [InlineData(80, "000050")]
    [InlineData(-10, "FFFFF6")]
    [InlineData(0x7FFFFF, "7FFFFF")]
    [InlineData(-0x800000, "800000")]
    public void WritesTheCompositionTimeAsSigned24Bits(int value, string hex)
    {
        var field = new byte[3];
        FlvWriter.WriteCompositionTime(field, value);
        Assert.Equal(Hex.Bytes(hex), field);
        Assert.True(VideoTagInfo.TryParse([0x27, 0x01, .. field], out var info));
        Assert.Equal(value, info.CompositionTimeMs);
    }

    [Fact]
    public void RefusesACompositionTimeBeyond24Bits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvWriter.WriteCompositionTime(new byte[3], 0x800000));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlvWriter.WriteCompositionTime(new byte[3], -0x800001));
    }
}
