using System.Buffers.Binary;
using Appliance.Codecs.Amf0;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;

namespace Appliance.Node.Tests.Rtmp;

public class UnpublishTests
{
    [Theory]
    [InlineData("deleteStream")]
    [InlineData("FCUnpublish")]
    public async Task UnpublishingEndsTheStreamButKeepsTheConnection(string command)
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);
        await peer.ConnectAsync("live");
        await peer.ReadUntilAsync(m => RawRtmpPeer.AsCommand(m)?.Name == "_result", "connect's _result", ct);
        await peer.SendCommandAsync("createStream", 2, null);
        await peer.ReadUntilAsync(m => RawRtmpPeer.AsCommand(m) is { Name: "_result", TransactionId: 2 }, "createStream's _result", ct);
        await peer.SendMessageAsync(8, 0, RtmpMessageType.CommandAmf0, 1,
            RtmpCommand.Encode("publish", 3, null, Amf0Value.FromString("cam"), Amf0Value.FromString("live")));
        await peer.ReadUntilAsync(m => StatusCode(m) == "NetStream.Publish.Start", "Publish.Start", ct);
        Assert.Single(server.Streams.Streams);

        await peer.SendCommandAsync(command, 4, null, command == "deleteStream" ? Amf0Value.FromNumber(1) : Amf0Value.FromString("cam"));
        await Eventually.WaitAsync(() => server.Streams.Streams.Count == 0, "the stream to end");
        await peer.SendMessageAsync(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0, [0x00, 0x06, 0x00, 0x00, 0x00, 0x2A]);
        var pong = await peer.ReadUntilAsync(m => m.TypeId == RtmpMessageType.UserControl && m.Payload[1] == 7, "the ping response", ct);

        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(pong.Payload.AsSpan(2)));
        Assert.False(run.IsCompleted);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    private static string? StatusCode(ReceivedMessage message) =>
        RawRtmpPeer.AsCommand(message) is { Name: "onStatus" } status ? status.FirstArgument?.GetString("code") : null;
}
