using System.Buffers.Binary;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

public class RtmpServerControlTests
{
    [Fact]
    public async Task APingRequestGetsAPingResponseWithTheSameValue()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0, [0x00, 0x06, 0x00, 0x01, 0xE2, 0x40]);
        await server.RunToEndAsync();

        var pong = Assert.Single(server.Replies());
        Assert.Equal(RtmpMessageType.UserControl, pong.TypeId);
        Assert.Equal(UserControlEvent.PingResponse, BinaryPrimitives.ReadUInt16BigEndian(pong.Payload));
        Assert.Equal(123_456u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
    }

    [Fact]
    public async Task OtherUserControlEventsAndPeerAcknowledgementsNeedNoAnswer()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendControl(bytes => RtmpControl.WriteSetBufferLength(bytes, 1, 3000));
        server.SendControl(bytes => RtmpControl.WriteAcknowledgement(bytes, 5000));
        server.SendControl(bytes => RtmpControl.WriteSetPeerBandwidth(bytes, 5000, RtmpControl.LimitHard));
        await server.RunToEndAsync();

        Assert.Empty(server.Replies());
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Fact]
    public async Task SetChunkSizeChangesHowTheChunksAfterItAreRead()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        var payload = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

        server.SendControl(bytes => RtmpControl.WriteSetChunkSize(bytes, 4096));
        server.SendMessage(6, 40, RtmpMessageType.Video, 1, payload, chunkSize: 4096);
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "media 9 40 3000 bytes"], server.Handler.Events);
        Assert.Equal(payload, server.Handler.Media.Single());
    }

    [Fact]
    public async Task AbortDropsTheMessageInProgressOnItsChunkStream()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        // The first 128-byte chunk of a 300-byte video message, then Abort, then a whole new message there.
        var whole = new byte[RtmpChunkWriter.MaxLength(300, 128, 6)];
        RtmpChunkWriter.Write(whole, 6, 0, RtmpMessageType.Video, 1, new byte[300], 128);
        server.Send(whole.AsSpan(0, 12 + 128));

        // Abort (type 2) naming chunk stream 6.
        server.SendMessage(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.Abort, 0, [0, 0, 0, 6]);
        server.SendMessage(6, 80, RtmpMessageType.Video, 1, [0x17, 0x01, 0xAB]);
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "media 9 80 3 bytes"], server.Handler.Events);
        Assert.Equal([0x17, 0x01, 0xAB], server.Handler.Media.Single());
    }

    [Theory]
    [InlineData(10_000, 1)]
    [InlineData(20_000, 0)]
    public async Task AnAcknowledgementGoesOutOnceThePeersWindowIsReceived(uint window, int acknowledgements)
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        server.SendControl(bytes => RtmpControl.WriteWindowAckSize(bytes, window));
        for (var i = 0; i < 8; i++)
        {
            server.SendMessage(6, (uint)i * 40, RtmpMessageType.Video, 1, new byte[1000]);
        }

        await server.RunToEndAsync();

        // About 11,200 bytes arrive, handshake included, in one read: at most one acknowledgement, counting all of them.
        var acks = server.Replies().Where(m => m.TypeId == RtmpMessageType.Acknowledgement).ToList();
        Assert.Equal(acknowledgements, acks.Count);
        Assert.All(acks, ack => Assert.Equal(server.Handler.BytesReceived, BinaryPrimitives.ReadUInt32BigEndian(ack.Payload)));
    }

    [Fact]
    public async Task AudioVideoDataAndAggregateMessagesAreRaisedAsMedia()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendMessage(4, 10, RtmpMessageType.Audio, 1, [0xAF, 0x01, 0x21]);
        server.SendMessage(6, 20, RtmpMessageType.Video, 1, [0x27, 0x01]);
        server.SendMessage(5, 30, RtmpMessageType.DataAmf0, 1, [0x02, 0x00, 0x01, 0x61]);
        server.SendMessage(5, 40, RtmpMessageType.DataAmf3, 1, [0x00]);
        server.SendMessage(6, 50, RtmpMessageType.Aggregate, 1, new byte[11]);
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "media 8 10 3 bytes", "media 9 20 2 bytes", "media 18 30 4 bytes", "media 15 40 1 bytes", "media 22 50 11 bytes"],
            server.Handler.Events);
        Assert.Empty(server.Replies());
    }
}
