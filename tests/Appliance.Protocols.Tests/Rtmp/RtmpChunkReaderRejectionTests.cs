using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpChunkReaderRejectionTests
{
    [Theory]
    [InlineData("43 000000 000001 08 AA")]
    [InlineData("83 000000 AA")]
    [InlineData("C3 AA")]
    public void RejectsFmt123OnAChunkStreamWithoutAHeader(string chunk)
    {
        var e = Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(new RtmpChunkReader(), Hex.Bytes(chunk)));
        Assert.Contains("without a previous header", e.Message);
    }

    [Fact]
    public void HeadersAreRememberedPerChunkStream()
    {
        var input = Hex.Bytes("03 000000 000001 08 00000000 AA  C4 BB");

        Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(new RtmpChunkReader(), input));
    }

    [Fact]
    public void RejectsAMessageOverTheLimitBeforeItsPayloadArrives()
    {
        var chunks = new RtmpChunkReader(maxMessageSize: 100);

        Assert.Empty(ReadMessage.All(chunks, Hex.Bytes("03 000000 000064 14 00000000")));   // 100: fine, waits
        var e = Assert.Throws<RtmpProtocolException>(
            () => ReadMessage.All(new RtmpChunkReader(maxMessageSize: 100), Hex.Bytes("03 000000 000065 14 00000000")));
        Assert.Contains("101", e.Message);
    }

    [Fact]
    public void RejectsAFmt1LengthOverTheLimit()
    {
        var input = Hex.Bytes("03 000000 000001 14 00000000 AA  43 000000 000065 14");

        Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(new RtmpChunkReader(maxMessageSize: 100), input));
    }

    [Fact]
    public void RejectsTooManyChunkStreams()
    {
        var chunks = new RtmpChunkReader(maxChunkStreams: 2);
        Assert.Equal(3, ReadMessage.All(chunks, Hex.Bytes("03 000000 000001 08 00000000 AA  04 000000 000001 08 00000000 BB  03 000000 000001 08 00000000 CC")).Count);

        var e = Assert.Throws<RtmpProtocolException>(
            () => ReadMessage.All(chunks, Hex.Bytes("05 000000 000001 08 00000000 DD")));
        Assert.Contains("chunk streams", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(16 * 1024 * 1024 + 1)]
    public void RejectsInvalidChunkSizes(int size)
    {
        var chunks = new RtmpChunkReader();

        Assert.Throws<RtmpProtocolException>(() => chunks.ChunkSize = size);
        Assert.Equal(128, chunks.ChunkSize);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16 * 1024 * 1024)]
    public void AcceptsChunkSizesAtTheBounds(int size)
    {
        var chunks = new RtmpChunkReader { ChunkSize = size };

        Assert.Equal(size, chunks.ChunkSize);
    }

    [Theory]
    [InlineData("44 000000 0000C9 09")]
    [InlineData("04 000000 0000C9 09 01000000")]
    public void RejectsAHeaderThatChangesTheLengthMidMessage(string header)
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 0000C8 09 01000000"), Hex.Pattern(128), Hex.Bytes(header), Hex.Pattern(72));

        var e = Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(new RtmpChunkReader(), input));
        Assert.Contains("mid-message", e.Message);
    }

    [Fact]
    public void RejectsPartialMessagesHoldingTooMuchTogether()
    {
        // Each chunk stream starts a 100-byte message and sends only its first 64-byte chunk.
        var chunks = new RtmpChunkReader(maxMessageSize: 100) { ChunkSize = 64 };
        var partial = (int id) => Hex.Concat([(byte)id], Hex.Bytes("000000 000064 09 01000000"), Hex.Pattern(64));
        Assert.Empty(ReadMessage.All(chunks, Hex.Concat(partial(3), partial(4), partial(5))));   // 192 bytes held

        var e = Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(chunks, partial(6)));
        Assert.Contains("Partial messages", e.Message);
    }

    [Fact]
    public void CompletedAndAbortedMessagesNoLongerCountAsHeld()
    {
        var chunks = new RtmpChunkReader(maxMessageSize: 100) { ChunkSize = 64 };
        var partial = (int id) => Hex.Concat([(byte)id], Hex.Bytes("000000 000064 09 01000000"), Hex.Pattern(64));
        var rest = (int id) => Hex.Concat([(byte)(0xC0 | id)], Hex.Pattern(36));

        for (var round = 0; round < 10; round++)
        {
            Assert.Empty(ReadMessage.All(chunks, Hex.Concat(partial(3), partial(4), partial(5))));
            Assert.Equal(2, ReadMessage.All(chunks, Hex.Concat(rest(3), rest(4))).Count);
            chunks.Abort(5);
        }
    }

    [Theory]
    [InlineData("00000000")]
    [InlineData("80000000")]
    [InlineData("000100")]
    public void SetChunkSizePayloadRejections(string payload)
    {
        Assert.Throws<RtmpProtocolException>(() => RtmpControl.ReadSetChunkSize(Hex.Bytes(payload)));
    }

    [Fact]
    public void SetChunkSizeAboveTheMaximumMeansTheMaximum()
    {
        Assert.Equal(16 * 1024 * 1024, RtmpControl.ReadSetChunkSize(Hex.Bytes("7FFFFFFF")));
        Assert.Equal(4096, RtmpControl.ReadSetChunkSize(Hex.Bytes("00001000")));
    }

    [Fact]
    public void ShortControlPayloadsAreRejected()
    {
        Assert.Throws<RtmpProtocolException>(() => RtmpControl.ReadUserControl(Hex.Bytes("0006 000000"), out _));
        Assert.Throws<RtmpProtocolException>(() => RtmpControl.ReadUInt32(Hex.Bytes("0000"), "Acknowledgement"));
    }
}
