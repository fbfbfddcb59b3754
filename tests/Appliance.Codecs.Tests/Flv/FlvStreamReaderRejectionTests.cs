using System.Buffers;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Flv;

public class FlvStreamReaderRejectionTests
{
    private const string Header = "464C5601 05 00000009 00000000 ";

    [Theory]
    [InlineData("bad signature", "464C5801 05 00000009 00000000")]
    [InlineData("HTML instead of FLV", "3C68746D6C3E")]
    [InlineData("first byte already wrong", "47")]
    [InlineData("DataOffset below 9", "464C5601 05 00000008 00000000")]
    [InlineData("DataOffset beyond the limit", "464C5601 05 00000401")]
    [InlineData("DataOffset of 4 GB", "464C5601 05 FFFFFFFF")]
    [InlineData("PreviousTagSize0 not zero", "464C5601 05 00000009 0000000B")]
    [InlineData("unknown tag type 7", Header + "07 000001 000000 00 000000 AA 0000000C")]
    [InlineData("unknown tag type 0", Header + "00")]
    [InlineData("encrypted (filter bit)", Header + "28 000001 000000 00 000000 AA 0000000C")]
    [InlineData("PreviousTagSize too small", Header + "09 000001 000000 00 000000 AA 0000000B")]
    [InlineData("PreviousTagSize too large", Header + "09 000001 000000 00 000000 AA 0000000D")]
    [InlineData("PreviousTagSize zero", Header + "09 000001 000000 00 000000 AA 00000000")]
    public void Rejects(string name, string hex)
    {
        var flvReader = new FlvStreamReader();
        var ex = Assert.Throws<FlvFormatException>(() => Read(flvReader, Hex.Bytes(hex)));
        Assert.False(string.IsNullOrEmpty(ex.Message), name);
    }

    [Fact]
    public void TagLargerThanTheLimitIsRejectedFromItsHeaderAlone()
    {
        // Only the first 4 bytes of the tag have arrived: DataSize 4 > 3 is enough to refuse.
        var flvReader = new FlvStreamReader(maxTagSize: 3);
        var ex = Assert.Throws<FlvFormatException>(() => Read(flvReader, Hex.Bytes(Header + "09 000004")));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneMiBLimitRejectsAOneMiBPlusOneTag()
    {
        var flvReader = new FlvStreamReader(maxTagSize: 1024 * 1024);
        Assert.Throws<FlvFormatException>(() => Read(flvReader, Hex.Bytes(Header + "09 100001 000000 00 000000")));
    }

    [Fact]
    public void UnknownTypeIsRejectedFromItsFirstByte()
    {
        var flvReader = new FlvStreamReader();
        Assert.Throws<FlvFormatException>(() => Read(flvReader, Hex.Bytes(Header + "0A")));
    }

    [Fact]
    public void RejectionAfterGoodTagsLeavesThemConsumed()
    {
        var flvReader = new FlvStreamReader();
        var bytes = Hex.Bytes(Header + "08 000001 000000 00 000000 2F 0000000C 08 000001 000000 00 000000 2F 00000099");
        var sequence = new ReadOnlySequence<byte>(bytes);
        var reader = new SequenceReader<byte>(sequence);
        Assert.True(flvReader.TryReadTag(ref reader, out var first));
        first.Payload.Release();
        var consumed = reader.Consumed;
        Assert.Equal(13 + 16, consumed);
        Assert.Throws<FlvFormatException>(() =>
        {
            var again = new SequenceReader<byte>(sequence.Slice(consumed));
            flvReader.TryReadTag(ref again, out _);
        });
    }

    [Fact]
    public void NegativeLimitIsAnArgumentError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlvStreamReader(-1));

    private static void Read(FlvStreamReader flvReader, byte[] bytes)
    {
        var reader = new SequenceReader<byte>(Segments.Split(bytes, 3));
        while (flvReader.TryReadTag(ref reader, out var tag))
        {
            tag.Payload.Release();
        }
    }
}
