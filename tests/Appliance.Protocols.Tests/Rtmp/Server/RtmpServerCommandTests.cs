using System.Buffers.Binary;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

public class RtmpServerCommandTests
{
    [Fact]
    public async Task ConnectRaisesTheAppTcUrlPageUrlAndObjectEncodingAsSent()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendCommand("connect", 1, Amf0Value.Object(
            Amf0Value.Prop("app", "live?token=abc"), Amf0Value.Prop("tcUrl", "rtmp://example.com/live"),
            Amf0Value.Prop("pageUrl", "https://example.com/player"), Amf0Value.Prop("objectEncoding", 3)));
        await server.RunToEndAsync();

        Assert.Equal(new RtmpConnectRequest(1, "live?token=abc", "rtmp://example.com/live", "https://example.com/player", 3),
            Assert.Single(server.Handler.Connects));
    }

    [Fact]
    public async Task AConnectWithoutCommandObjectHasAnEmptyApp()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendCommand("connect", 1, null);
        await server.RunToEndAsync();

        Assert.Equal(new RtmpConnectRequest(1, "", null, null, 0), Assert.Single(server.Handler.Connects));
    }

    [Fact]
    public async Task AnAcceptedConnectIsAnsweredWithWindowBandwidthChunkSizeAndSuccess()
    {
        using var server = new RtmpServerHarness(new RtmpServerOptions { ChunkSize = 4096, WindowAckSize = 2_500_000 });
        server.SendHandshake();

        server.SendCommand("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live"), Amf0Value.Prop("objectEncoding", 0)));
        await server.RunToEndAsync();

        var replies = server.Replies();
        Assert.Equal([RtmpMessageType.WindowAckSize, RtmpMessageType.SetPeerBandwidth, RtmpMessageType.SetChunkSize, RtmpMessageType.CommandAmf0],
            replies.Select(m => m.TypeId));
        Assert.Equal(2_500_000u, BinaryPrimitives.ReadUInt32BigEndian(replies[0].Payload));
        Assert.Equal(2_500_000u, BinaryPrimitives.ReadUInt32BigEndian(replies[1].Payload));
        Assert.Equal(RtmpControl.LimitDynamic, replies[1].Payload[4]);
        Assert.Equal(4096, BinaryPrimitives.ReadInt32BigEndian(replies[2].Payload));
        var result = RtmpCommand.Decode(replies[3].Payload);
        Assert.Equal("_result", result.Name);
        Assert.Equal(1, result.TransactionId);
        Assert.Equal("FMS/3,5,3,888", result.CommandObject!.GetString("fmsVer"));
        Assert.Equal("NetConnection.Connect.Success", result.FirstArgument!.GetString("code"));
        Assert.Equal(0.0, result.FirstArgument.GetNumber("objectEncoding"));
    }

    [Fact]
    public async Task ARejectedConnectGetsErrorAndEndsWithTheHandlersReasonBeforeAnythingAfterIt()
    {
        using var server = new RtmpServerHarness();
        server.Handler.Connect = request =>
        {
            server.Connection.SendConnectRejected(request);
            return new("unknown app 'nope'");
        };
        server.SendHandshake();

        server.SendConnect("nope");
        server.SendCommand("createStream", 2, null);
        var reason = await server.RunToEndAsync();

        Assert.Equal("unknown app 'nope'", reason);
        var error = Assert.Single(server.CommandReplies());
        Assert.Equal("_error", error.Name);
        Assert.Equal(1, error.TransactionId);
        Assert.Equal("NetConnection.Connect.Rejected", error.FirstArgument!.GetString("code"));
        Assert.Equal("Connection rejected.", error.FirstArgument.GetString("description"));
    }

    [Fact]
    public async Task CreateStreamIsAnsweredWithTheConfiguredStreamId()
    {
        using var server = new RtmpServerHarness(new RtmpServerOptions { StreamId = 7 });
        server.SendHandshake();

        server.SendCommand("createStream", 4, null);
        await server.RunToEndAsync();

        var result = Assert.Single(server.CommandReplies());
        Assert.Equal("_result", result.Name);
        Assert.Equal(4, result.TransactionId);
        Assert.Equal(7.0, result.FirstArgument!.Number);
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Fact]
    public async Task PublishingPreliminariesAreAnsweredWhenTheyCarryATransaction()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        var name = Amf0Value.FromString("cam");

        server.SendCommand("releaseStream", 2, null, name);
        server.SendCommand("FCPublish", 3, null, name);
        server.SendCommand("FCPublish", 0, null, name);
        server.SendCommand("FCUnpublish", 5, null, name);
        await server.RunToEndAsync();

        var results = server.CommandReplies();
        Assert.All(results, r => Assert.Equal("_result", r.Name));
        Assert.All(results, r => Assert.Equal(Amf0Kind.Undefined, r.FirstArgument!.Kind));
        Assert.Equal([2.0, 3, 5], results.Select(r => r.TransactionId));
        Assert.Equal(["handshake", "FCUnpublish cam"], server.Handler.Events);
    }

    [Fact]
    public async Task GetStreamLengthIsAnsweredWithTheLengthOfALiveStreamZero()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        var name = Amf0Value.FromString("cam");

        server.SendCommand("getStreamLength", 4, null, name);
        server.SendCommand("getStreamLength", 0, null, name);
        await server.RunToEndAsync();

        // A number after the null command object, as players read it; a notification (transaction 0) gets nothing.
        var result = Assert.Single(server.CommandReplies());
        Assert.Equal("_result", result.Name);
        Assert.Equal(4, result.TransactionId);
        Assert.Null(result.CommandObject);
        Assert.Equal(Amf0Kind.Number, result.FirstArgument!.Kind);
        Assert.Equal(0.0, result.FirstArgument.Number);
        Assert.Equal(["handshake"], server.Handler.Events);
    }

    [Fact]
    public async Task PublishRaisesTheNameAndType()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("publish", 5, null, Amf0Value.FromString("cam?key=1"), Amf0Value.FromString("live"));
        await server.RunToEndAsync();

        Assert.Equal(new RtmpPublishRequest(5, "cam?key=1", "live"), Assert.Single(server.Handler.Publishes));
    }

    [Fact]
    public async Task APublishWithoutANameRaisesANullName()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("publish", 5, null, Amf0Value.FromNumber(3));
        await server.RunToEndAsync();

        Assert.Equal(new RtmpPublishRequest(5, null, null), Assert.Single(server.Handler.Publishes));
    }

    [Fact]
    public async Task PlayRaisesNameStartDurationAndReset()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("play", 5, null, Amf0Value.FromString("cam"), Amf0Value.FromNumber(-1), Amf0Value.FromNumber(30), Amf0Value.FromBoolean(false));
        await server.RunToEndAsync();

        Assert.Equal(new RtmpPlayRequest(5, "cam", -1, 30, false), Assert.Single(server.Handler.Plays));
    }

    [Fact]
    public async Task PlayWithOnlyANameDefaultsToLiveOrRecordedToTheEndWithReset()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("play", 5, null, Amf0Value.FromString("cam"));
        await server.RunToEndAsync();

        Assert.Equal(new RtmpPlayRequest(5, "cam", -2, -1, true), Assert.Single(server.Handler.Plays));
    }

    [Fact]
    public async Task PauseDeleteStreamAndCloseStreamAreRaisedInOrder()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();

        server.SendCommand("pause", 0, null, Amf0Value.FromBoolean(true), Amf0Value.FromNumber(1500));
        server.SendCommand("pause", 0, null, Amf0Value.FromBoolean(false), Amf0Value.FromNumber(1500));
        server.SendCommand("pause", 0, null);
        server.SendCommand("closeStream", 0, null);
        server.SendCommand("deleteStream", 6, null, Amf0Value.FromNumber(1));
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "pause True 1500", "pause False 1500", "pause False 0", "closeStream", "deleteStream"], server.Handler.Events);
        Assert.Empty(server.Replies());
    }

    [Fact]
    public async Task AnAmf3CommandIsReadAfterItsFormatByte()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        var connect = RtmpCommand.Encode("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", "live")));

        server.SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf3, 0, [0x00, .. connect]);
        server.SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf3, 0, []);
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "connect live"], server.Handler.Events);
    }

    [Fact]
    public async Task UnsupportedAndUnknownCommandsAreReportedAndNotAnswered()
    {
        using var server = new RtmpServerHarness();
        server.SendHandshake();
        var longName = new string('x', 100);

        server.SendCommand("play2", 2, null);
        server.SendCommand("receiveVideo", 0, null, Amf0Value.FromBoolean(false));
        server.SendCommand("_checkbw", 3, null);
        server.SendCommand("sing", 4, null);
        server.SendCommand(longName, 5, null);
        server.SendMessage(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.SharedObjectAmf0, 0, [1, 2, 3]);
        await server.RunToEndAsync();

        Assert.Equal(["handshake", "ignored command play2", "ignored command receiveVideo", "ignored command _checkbw",
            "ignored unknown command sing", $"ignored unknown command {longName[..64]}...", "ignored shared object message"], server.Handler.Events);
        Assert.Empty(server.Replies());
    }
}
