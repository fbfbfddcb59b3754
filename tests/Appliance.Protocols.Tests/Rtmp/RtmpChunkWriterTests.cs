using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpChunkWriterTests
{
    [Fact]
    public void Writes300BytesAtChunkSize128AsFmt0AndTwoFmt3()
    {
        var payload = Hex.Pattern(300, seed: 4);
        var dest = new byte[RtmpChunkWriter.MaxLength(300, 128)];

        var written = RtmpChunkWriter.Write(dest, 6, 0x123456, RtmpMessageType.Video, 1, payload, 128);

        var expected = Hex.Concat(Hex.Bytes("06 123456 00012C 09 01000000"), payload[..128],
            Hex.Bytes("C6"), payload[128..256], Hex.Bytes("C6"), payload[256..]);
        Assert.Equal(314, written);
        Assert.Equal(expected, dest[..written]);
    }

    [Fact]
    public void ExtendedTimestampIsRepeatedOnEveryContinuation()
    {
        var payload = Hex.Pattern(200, seed: 8);
        var dest = new byte[RtmpChunkWriter.MaxLength(200, 128)];

        var written = RtmpChunkWriter.Write(dest, 6, 0x01020304, RtmpMessageType.Audio, 1, payload, 128);

        var expected = Hex.Concat(Hex.Bytes("06 FFFFFF 0000C8 08 01000000 01020304"), payload[..128],
            Hex.Bytes("C6 01020304"), payload[128..]);
        Assert.Equal(expected, dest[..written]);
    }

    [Fact]
    public void TimestampJustBelowTheMarkerIsNotExtended()
    {
        var dest = new byte[RtmpChunkWriter.MaxLength(1, 128)];

        var written = RtmpChunkWriter.Write(dest, 4, 0xFFFFFE, RtmpMessageType.Audio, 1, [0xAF], 128);

        Assert.Equal(Hex.Bytes("04 FFFFFE 000001 08 01000000 AF"), dest[..written]);
    }

    [Theory]
    [InlineData(64, "0000", "C000")]
    [InlineData(319, "00FF", "C0FF")]
    [InlineData(320, "010001", "C10001")]
    [InlineData(65599, "01FFFF", "C1FFFF")]
    public void WritesTwoAndThreeByteChunkStreamIds(int chunkStreamId, string first, string continuation)
    {
        var payload = Hex.Pattern(129);
        var dest = new byte[RtmpChunkWriter.MaxLength(129, 128, chunkStreamId)];

        var written = RtmpChunkWriter.Write(dest, chunkStreamId, 0, RtmpMessageType.DataAmf0, 0, payload, 128);

        var expected = Hex.Concat(Hex.Bytes(first + "000000 000081 12 00000000"), payload[..128], Hex.Bytes(continuation), payload[128..]);
        Assert.Equal(expected, dest[..written]);
    }

    [Fact]
    public void EmptyPayloadIsOneHeader()
    {
        var dest = new byte[RtmpChunkWriter.MaxLength(0, 128)];

        var written = RtmpChunkWriter.Write(dest, 3, 0, RtmpMessageType.CommandAmf0, 0, [], 128);

        Assert.Equal(Hex.Bytes("03 000000 000000 14 00000000"), dest[..written]);
    }

    [Theory]
    [InlineData(0, 128)]
    [InlineData(1, 1)]
    [InlineData(128, 128)]
    [InlineData(129, 128)]
    [InlineData(70_000, 4096)]
    public void MaxLengthBoundsWhatIsWritten(int length, int chunkSize)
    {
        var dest = new byte[RtmpChunkWriter.MaxLength(length, chunkSize, 65599)];

        var written = RtmpChunkWriter.Write(dest, 65599, uint.MaxValue, 9, 1, Hex.Pattern(length), chunkSize);

        Assert.True(written <= dest.Length);
    }

    [Fact]
    public void RejectsInvalidArguments()
    {
        var dest = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => RtmpChunkWriter.Write(dest, 1, 0, 9, 1, [1], 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtmpChunkWriter.Write(dest, 65600, 0, 9, 1, [1], 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtmpChunkWriter.Write(dest, 3, 0, 9, 1, [1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtmpChunkWriter.MaxLength(10, 0));
    }

    [Fact]
    public void RoundTripsThroughTheReaderWithExtendedTimestampsInOneByteSegments()
    {
        var sent = new (int ChunkStreamId, uint Timestamp, byte TypeId, uint StreamId, byte[] Payload)[]
        {
            (4, 0, RtmpMessageType.Audio, 1, Hex.Pattern(7, 1)),
            (6, 0xFFFFFF, RtmpMessageType.Video, 1, Hex.Pattern(1000, 2)),
            (6, 0xFFFFFFFF, RtmpMessageType.Video, 1, Hex.Pattern(129, 3)),
            (300, 0x1000000, RtmpMessageType.DataAmf0, 5, Hex.Pattern(256, 4)),
            (4, 12, RtmpMessageType.Audio, 1, []),
            (70000 - 4500, 0x7FFFFFFF, RtmpMessageType.Video, 1, Hex.Pattern(300, 5)),
        };
        var wire = new List<byte>();
        foreach (var m in sent)
        {
            var dest = new byte[RtmpChunkWriter.MaxLength(m.Payload.Length, 128, m.ChunkStreamId)];
            var written = RtmpChunkWriter.Write(dest, m.ChunkStreamId, m.Timestamp, m.TypeId, m.StreamId, m.Payload, 128);
            wire.AddRange(dest[..written]);
        }
        var chunks = new RtmpChunkReader();

        var received = ReadMessage.All(chunks, Segments.Split(wire.ToArray(), 1), out var consumed);

        Assert.Equal(wire.Count, consumed);
        Assert.Equal(sent.Length, received.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal(sent[i].ChunkStreamId, received[i].ChunkStreamId);
            Assert.Equal(sent[i].Timestamp, received[i].Timestamp);
            Assert.Equal(sent[i].TypeId, received[i].TypeId);
            Assert.Equal(sent[i].StreamId, received[i].StreamId);
            Assert.Equal(sent[i].Payload, received[i].Payload);
        }
    }

    [Theory]
    [InlineData(0x123456u)]
    [InlineData(0xFFFFFFu)]
    [InlineData(0xFFFFFFFFu)]
    public void AMessageIsItsFirstHeaderAndEachContinuationHeaderAroundThePayloadPieces(uint timestamp)
    {
        var payload = Hex.Pattern(300, seed: 2);
        var whole = new byte[RtmpChunkWriter.MaxLength(300, 128)];
        var written = RtmpChunkWriter.Write(whole, 6, timestamp, RtmpMessageType.Video, 1, payload, 128);

        var pieces = new byte[written];
        var position = RtmpChunkWriter.WriteFirstHeader(pieces, 6, timestamp, RtmpMessageType.Video, 1, payload.Length);
        Assert.Equal(RtmpChunkWriter.FirstHeaderLength(6, timestamp), position);
        for (var sent = 0; sent < payload.Length; sent += 128)
        {
            if (sent > 0)
            {
                var header = RtmpChunkWriter.WriteContinuationHeader(pieces.AsSpan(position), 6, timestamp);
                Assert.Equal(RtmpChunkWriter.ContinuationHeaderLength(6, timestamp), header);
                position += header;
            }
            var piece = Math.Min(128, payload.Length - sent);
            payload.AsSpan(sent, piece).CopyTo(pieces.AsSpan(position));
            position += piece;
        }

        Assert.Equal(written, position);
        Assert.Equal(whole[..written], pieces);
        Assert.Equal(timestamp >= 0xFFFFFF, RtmpChunkWriter.IsExtended(timestamp));
        Assert.Equal(timestamp >= 0xFFFFFF ? 16 : 12, RtmpChunkWriter.FirstHeaderLength(6, timestamp));
        Assert.Equal(timestamp >= 0xFFFFFF ? 5 : 1, RtmpChunkWriter.ContinuationHeaderLength(6, timestamp));
    }
}
