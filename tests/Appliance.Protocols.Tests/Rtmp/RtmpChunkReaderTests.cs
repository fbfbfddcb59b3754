using System.Buffers;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpChunkReaderTests
{
    private static readonly byte[] Body300 = Hex.Pattern(300, seed: 1);
    private static readonly byte[] Body200 = Hex.Pattern(200, seed: 2);

    [Fact]
    public void ReadsASingleChunkMessageWithFullHeader()
    {
        var messages = ReadMessage.All(new RtmpChunkReader(), Hex.Bytes("03 000102 000005 14 01000000 0102030405"));

        var message = Assert.Single(messages);
        Assert.Equal(RtmpMessageType.CommandAmf0, message.TypeId);
        Assert.Equal(258u, message.Timestamp);
        Assert.Equal(1u, message.StreamId);
        Assert.Equal(3, message.ChunkStreamId);
        Assert.Equal(Hex.Bytes("0102030405"), message.Payload);
    }

    [Fact]
    public void AssemblesAMessageFromFmt3Continuations()
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..128],
            Hex.Bytes("C4"), Body300[128..256], Hex.Bytes("C4"), Body300[256..]);
        var chunks = new RtmpChunkReader();

        var message = Assert.Single(ReadMessage.All(chunks, input));

        Assert.Equal(Body300, message.Payload);
        Assert.Equal(input.Length, chunks.BytesRead);
    }

    [Fact]
    public void Fmt1And2AddDeltasAndFmt3StartingAMessageRepeatsTheLastDelta()
    {
        var input = Hex.Bytes(
            "04 0003E8 000003 08 01000000 AAAAAA" +
            "44 000014 000002 08 BBBB" +
            "84 00001E CCCC" +
            "C4 DDDD");

        var messages = ReadMessage.All(new RtmpChunkReader(), input);

        Assert.Equal([1000u, 1020u, 1050u, 1080u], messages.Select(m => m.Timestamp));
        Assert.Equal([3, 2, 2, 2], messages.Select(m => m.Payload.Length));
        Assert.All(messages, m => Assert.Equal(1u, m.StreamId));
        Assert.Equal(Hex.Bytes("DDDD"), messages[3].Payload);
    }

    [Fact]
    public void Fmt3AfterFmt0RepeatsTheFmt0TimestampAsDelta()
    {
        // ffmpeg's writer drops to fmt 3 when the new delta equals the last timestamp field, fmt 0's included.
        var messages = ReadMessage.All(new RtmpChunkReader(), Hex.Bytes("05 000028 000001 08 01000000 AA  C5 BB"));

        Assert.Equal([40u, 80u], messages.Select(m => m.Timestamp));
    }

    [Theory]
    [InlineData(2, "02")]
    [InlineData(63, "3F")]
    [InlineData(64, "0000")]
    [InlineData(319, "00FF")]
    [InlineData(320, "010001")]
    [InlineData(65599, "01FFFF")]
    public void DecodesOneTwoAndThreeByteChunkStreamIds(int chunkStreamId, string basicHeader)
    {
        var fmt0 = Hex.Bytes(basicHeader);
        var fmt3 = (byte[])fmt0.Clone();
        fmt3[0] |= 0xC0;
        var body = Hex.Pattern(130);
        var input = Hex.Concat(fmt0, Hex.Bytes("000007 000082 12 00000000"), body[..128], fmt3, body[128..]);

        var message = Assert.Single(ReadMessage.All(new RtmpChunkReader(), input));

        Assert.Equal(chunkStreamId, message.ChunkStreamId);
        Assert.Equal(7u, message.Timestamp);
        Assert.Equal(body, message.Payload);
    }

    [Fact]
    public void ReadsExtendedTimestampOnFmt0AndItsRepeatOnFmt3Continuations()
    {
        var input = Hex.Concat(Hex.Bytes("06 FFFFFF 0000C8 09 01000000 01000000"), Body200[..128],
            Hex.Bytes("C6 01000000"), Body200[128..]);

        var message = Assert.Single(ReadMessage.All(new RtmpChunkReader(), input));

        Assert.Equal(0x01000000u, message.Timestamp);
        Assert.Equal(Body200, message.Payload);
    }

    [Fact]
    public void ExtendedDeltaOnFmt1IsReusedByAFmt3ThatStartsAMessage()
    {
        var input = Hex.Bytes(
            "06 FFFFFF 000001 09 01000000 01000000 AA" +
            "46 FFFFFF 000002 09 01000000 BBBB" +
            "C6 01000000 CCCC");

        var messages = ReadMessage.All(new RtmpChunkReader(), input);

        Assert.Equal([0x01000000u, 0x02000000u, 0x03000000u], messages.Select(m => m.Timestamp));
        Assert.Equal(Hex.Bytes("CCCC"), messages[2].Payload);
    }

    [Fact]
    public void TimestampsWrapAt32Bits()
    {
        var input = Hex.Bytes("07 FFFFFF 000001 08 00000000 FFFFFFF0 AA  87 000020 BB");

        var messages = ReadMessage.All(new RtmpChunkReader(), input);

        Assert.Equal([0xFFFFFFF0u, 0x10u], messages.Select(m => m.Timestamp));
    }

    [Fact]
    public void ChunkSizeChangeBetweenMessagesAppliesToTheNext()
    {
        var input = Hex.Concat(Hex.Bytes("02 000000 000004 01 00000000 00000100"),
            Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..256], Hex.Bytes("C4"), Body300[256..]);
        var chunks = new RtmpChunkReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        Assert.True(chunks.TryReadMessage(ref reader, out var control));
        Assert.Equal(RtmpMessageType.SetChunkSize, control.TypeId);
        chunks.ChunkSize = RtmpControl.ReadSetChunkSize(control.Payload.Span);
        control.Payload.Release();
        Assert.True(chunks.TryReadMessage(ref reader, out var media));
        var message = ReadMessage.Take(media);

        Assert.Equal(256, chunks.ChunkSize);
        Assert.Equal(Body300, message.Payload);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void InterleavedChunkStreamsCompleteIndependently()
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 0000C8 09 01000000"), Body200[..128],
            Hex.Bytes("06 000021 000003 08 01000000 010203"),
            Hex.Bytes("C4"), Body200[128..]);

        var messages = ReadMessage.All(new RtmpChunkReader(), input);

        Assert.Equal([6, 4], messages.Select(m => m.ChunkStreamId));
        Assert.Equal(33u, messages[0].Timestamp);
        Assert.Equal(Body200, messages[1].Payload);
    }

    [Fact]
    public void OneByteSegmentsArrivingOneByteAtATimeGiveTheSameMessages()
    {
        var input = Hex.Concat(
            Hex.Bytes("04 0003E8 000003 08 01000000 AAAAAA 44 000014 000002 08 BBBB 84 00001E CCCC C4 DDDD"),
            Hex.Bytes("06 FFFFFF 0000C8 09 01000000 01000000"), Body200[..128], Hex.Bytes("C6 01000000"), Body200[128..],
            Hex.Bytes("0000 000000 000003 08 01000000 010203"),          // csid 64
            Hex.Bytes("010001 000000 000001 08 01000000 EE"));           // csid 320
        var expected = ReadMessage.All(new RtmpChunkReader(), input);
        var chunks = new RtmpChunkReader();

        var trickled = ReadMessage.Trickle(chunks, input, step: 1);

        Assert.Equal(7, expected.Count);
        Assert.Equal(expected.Count, trickled.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Payload = [] }, trickled[i] with { Payload = [] });
            Assert.Equal(expected[i].Payload, trickled[i].Payload);
        }
        Assert.Equal(input.Length, chunks.BytesRead);
    }

    [Fact]
    public void WholeInputAsOneByteSegmentsParsesInOnePass()
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..128],
            Hex.Bytes("C4"), Body300[128..256], Hex.Bytes("C4"), Body300[256..]);

        var messages = ReadMessage.All(new RtmpChunkReader(), Segments.Split(input, 1), out var consumed);

        Assert.Equal(Body300, Assert.Single(messages).Payload);
        Assert.Equal(input.Length, consumed);
    }

    [Fact]
    public void AnIncompleteChunkIsLeftUnconsumed()
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..100]);
        var chunks = new RtmpChunkReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        Assert.False(chunks.TryReadMessage(ref reader, out _));

        Assert.Equal(0, reader.Consumed);
        Assert.Equal(0, chunks.BytesRead);
    }

    [Fact]
    public void LargeMessageTrickledInPiecesGrowsItsBufferIntact()
    {
        // Bigger than the first allocation, arriving in pieces, so the payload buffer has to grow.
        var body = Hex.Pattern(200_000, seed: 9);
        var chunkSize = 4096;
        var output = new byte[RtmpChunkWriter.MaxLength(body.Length, chunkSize)];
        var length = RtmpChunkWriter.Write(output, 6, 1234, RtmpMessageType.Video, 1, body, chunkSize);
        var chunks = new RtmpChunkReader { ChunkSize = chunkSize };

        var message = Assert.Single(ReadMessage.Trickle(chunks, output[..length], step: 5000, segmentSize: 3000));

        Assert.Equal(body, message.Payload);
        Assert.Equal(1234u, message.Timestamp);
    }

    [Fact]
    public void AbortDropsThePartialMessage()
    {
        var chunks = new RtmpChunkReader();
        var first = Hex.Concat(Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..128]);
        Assert.Empty(ReadMessage.All(chunks, first));

        chunks.Abort(4);
        chunks.Abort(99);   // unknown chunk stream: nothing to drop
        var message = Assert.Single(ReadMessage.All(chunks, Hex.Bytes("04 000010 000003 09 01000000 010203")));

        Assert.Equal(Hex.Bytes("010203"), message.Payload);
        Assert.Equal(16u, message.Timestamp);
    }

    [Fact]
    public void ZeroLengthMessageCompletesOnItsHeader()
    {
        var message = Assert.Single(ReadMessage.All(new RtmpChunkReader(), Hex.Bytes("03 000000 000000 14 00000000")));

        Assert.Empty(message.Payload);
    }

    [Fact]
    public void FullHeaderRepeatedMidMessageWithTheSameLengthContinuesIt()
    {
        var input = Hex.Concat(Hex.Bytes("04 000000 0000C8 09 01000000"), Body200[..128],
            Hex.Bytes("44 000000 0000C8 09"), Body200[128..]);

        var message = Assert.Single(ReadMessage.All(new RtmpChunkReader(), input));

        Assert.Equal(Body200, message.Payload);
    }

    [Fact]
    public void ResetForgetsHeadersAndPartialMessages()
    {
        var chunks = new RtmpChunkReader();
        Assert.Empty(ReadMessage.All(chunks, Hex.Concat(Hex.Bytes("04 000000 00012C 09 01000000"), Body300[..128])));
        chunks.ChunkSize = 4096;

        chunks.Reset();

        Assert.Equal(128, chunks.ChunkSize);
        Assert.Equal(0, chunks.BytesRead);
        Assert.Throws<RtmpProtocolException>(() => ReadMessage.All(chunks, Hex.Bytes("C4 AA")));
    }

    [Fact]
    public void ManyInterleavedChunkStreamsKeepTheirOwnHeadersAndPartialMessages()
    {
        // Ten chunk streams (more than the table starts with) each start a 2-byte message with one
        // byte; then, in the reverse order, each finishes it with a fmt-3 chunk whose byte says
        // which stream it is on: a mix-up of headers or partial payloads would show.
        var chunks = new RtmpChunkReader();
        chunks.ChunkSize = 1;
        var ids = Enumerable.Range(3, 10).ToArray();
        var starts = ids.SelectMany(id => Hex.Concat(
            [(byte)id], Hex.Bytes($"0000{id:X2} 000002 09 01000000"), [(byte)(0x10 + id)])).ToArray();
        var ends = ids.Reverse().SelectMany(id => new[] { (byte)(0xC0 | id), (byte)(0x20 + id) }).ToArray();

        Assert.Empty(ReadMessage.All(chunks, starts));
        var messages = ReadMessage.All(chunks, ends);

        Assert.Equal(ids.Reverse(), messages.Select(m => m.ChunkStreamId));
        Assert.All(messages, m => Assert.Equal(new[] { (byte)(0x10 + m.ChunkStreamId), (byte)(0x20 + m.ChunkStreamId) }, m.Payload));
        Assert.All(messages, m => Assert.Equal((uint)m.ChunkStreamId, m.Timestamp));

        chunks.Abort(12);
        chunks.Reset();
        var again = Assert.Single(ReadMessage.All(chunks, Hex.Bytes("0C 000007 000001 09 01000000 AA")));
        Assert.Equal(7u, again.Timestamp);
    }
}
