using System.Buffers.Binary;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class ControlMessageTests
{
    [Fact]
    public async Task APingRequestGetsAPingResponseWithTheSameValue()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        await peer.SendMessageAsync(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0, [0x00, 0x06, 0x00, 0x01, 0xE2, 0x40]);
        var pong = await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.UserControl, "a user control message", ct);

        Assert.Equal(UserControlEvent.PingResponse, BinaryPrimitives.ReadUInt16BigEndian(pong.Payload));
        Assert.Equal(123_456u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task ConnectIsAnsweredWithWindowBandwidthChunkSizeAndSuccess()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        await peer.ConnectAsync("live");
        var window = await peer.ReadMessageAsync(ct);
        var bandwidth = await peer.ReadMessageAsync(ct);
        var chunkSize = await peer.ReadMessageAsync(ct);
        var result = RawRtmpPeer.AsCommand((await peer.ReadMessageAsync(ct))!);

        Assert.Equal(RtmpMessageType.WindowAckSize, window!.TypeId);
        Assert.Equal(RtmpMessageType.SetPeerBandwidth, bandwidth!.TypeId);
        Assert.Equal(RtmpMessageType.SetChunkSize, chunkSize!.TypeId);
        Assert.Equal(4096, BinaryPrimitives.ReadInt32BigEndian(chunkSize.Payload));
        Assert.Equal("_result", result!.Name);
        Assert.Equal(1, result.TransactionId);
        Assert.Equal("NetConnection.Connect.Success", result.FirstArgument!.GetString("code"));
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }
}
