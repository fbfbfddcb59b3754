using Appliance.Codecs.Amf0;
using Appliance.Node.Tests.Support;
using Appliance.Protocols.Rtmp;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Rtmp;

/// <summary>What the node does with commands out of place: one warning, this connection closed, its stream ended.</summary>
public class CommandOrderTests
{
    [Theory]
    [InlineData("publish")]
    [InlineData("play")]
    public async Task ASecondPublishOrPlayOnAPublishingConnectionClosesIt(string second)
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = await PublishingPeerAsync(connection, ct);

        await peer.SendMessageAsync(8, 0, RtmpMessageType.CommandAmf0, 1, RtmpCommand.Encode(second, 4, null, Amf0Value.FromString("other")));
        await peer.ReadToEndAsync(ct);
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Lines.Any(l => l.Level == LogLevel.Warning
            && l.Message.Contains($"{second} on a connection that already publishes or plays")), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
    }

    [Fact]
    public async Task APublishBeforeConnectClosesTheConnectionWithAWarning()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        await peer.SendCommandAsync("publish", 2, null, Amf0Value.FromString("cam"));
        await peer.ReadToEndAsync(ct);
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Lines.Any(l => l.Level == LogLevel.Warning && l.Message.Contains("publish before connect")), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
    }

    [Fact]
    public async Task APlayerThatPausesAndResumesIsToldSo()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        server.PublishLive("cam", new Frames());
        var (connection, run) = server.StartRtmp();
        var peer = await ConnectedPeerAsync(connection, ct);
        await peer.SendCommandAsync("play", 3, null, Amf0Value.FromString("cam"));
        await peer.ReadUntilAsync(m => StatusCode(m) == "NetStream.Play.Start", "Play.Start", ct);

        await peer.SendCommandAsync("pause", 0, null, Amf0Value.FromBoolean(true), Amf0Value.FromNumber(40));
        await peer.ReadUntilAsync(m => StatusCode(m) == "NetStream.Pause.Notify", "Pause.Notify", ct);
        await peer.SendCommandAsync("pause", 0, null, Amf0Value.FromBoolean(false), Amf0Value.FromNumber(40));
        await peer.ReadUntilAsync(m => StatusCode(m) == "NetStream.Unpause.Notify", "Unpause.Notify", ct);

        Assert.False(run.IsCompleted);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task PauseFromAConnectionThatDoesNotPlayIsNotAnswered()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = await ConnectedPeerAsync(connection, ct);

        await peer.SendCommandAsync("pause", 0, null, Amf0Value.FromBoolean(true), Amf0Value.FromNumber(0));
        await peer.SendMessageAsync(RtmpControl.ControlChunkStreamId, 0, RtmpMessageType.UserControl, 0, [0x00, 0x06, 0x00, 0x00, 0x00, 0x2A]);
        var next = await peer.ReadMessageAsync(ct);

        // The ping is answered; nothing came for the pause before it.
        Assert.Equal(RtmpMessageType.UserControl, next!.TypeId);
        Assert.Equal(UserControlEvent.PingResponse, next.Payload[1]);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);
    }

    private static Task<RawRtmpPeer> ConnectedPeerAsync(PipeConnection connection, CancellationToken ct) =>
        RawRtmpPeer.WithStreamAsync(connection, "live", ct);

    private static async Task<RawRtmpPeer> PublishingPeerAsync(PipeConnection connection, CancellationToken ct)
    {
        var peer = await ConnectedPeerAsync(connection, ct);
        await peer.SendMessageAsync(8, 0, RtmpMessageType.CommandAmf0, 1,
            RtmpCommand.Encode("publish", 3, null, Amf0Value.FromString("cam"), Amf0Value.FromString("live")));
        await peer.ReadUntilAsync(m => StatusCode(m) == "NetStream.Publish.Start", "Publish.Start", ct);
        return peer;
    }

    private static string? StatusCode(ReceivedMessage message) =>
        RawRtmpPeer.AsCommand(message) is { Name: "onStatus" } status ? status.FirstArgument?.GetString("code") : null;
}
