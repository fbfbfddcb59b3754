using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;
using static Appliance.Codecs.Amf0.Amf0Value;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>
/// Replies written field by field into a reused scratch writer are byte for byte the encoding of
/// the value trees the server used to build, and a reply never carries bytes of the one before.
/// </summary>
public class RtmpServerReplyBytesTests
{
    [Fact]
    public async Task TheConnectResultIsTheEncodingOfItsValues()
    {
        using var server = await HandshakenAsync();

        server.Connection.SendConnectResult(new RtmpConnectRequest(1, "live", null, null, 3));

        var expected = RtmpCommand.Encode("_result", 1,
            Object(Prop("fmsVer", "FMS/3,5,3,888"), Prop("capabilities", 127), Prop("mode", 1)),
            Object(Prop("level", "status"), Prop("code", "NetConnection.Connect.Success"), Prop("description", "Connection succeeded."),
                Prop("objectEncoding", 3)));
        Assert.Equal(expected, server.Replies(4096).Last().Payload);
    }

    [Fact]
    public async Task TheConnectRefusalIsTheEncodingOfItsValues()
    {
        using var server = await HandshakenAsync();

        server.Connection.SendConnectRejected(new RtmpConnectRequest(7, "nope", null, null, 0));

        var expected = RtmpCommand.Encode("_error", 7, Null,
            Object(Prop("level", "error"), Prop("code", "NetConnection.Connect.Rejected"), Prop("description", "Connection rejected.")));
        Assert.Equal(expected, Assert.Single(server.Replies(4096)).Payload);
    }

    [Fact]
    public async Task StatusRepliesAreTheEncodingOfTheirValues()
    {
        using var server = await HandshakenAsync();

        server.Connection.SendStatus("status", "NetStream.Play.Start", "Started playing cam.", "mediaTimeMs", 4_294_967_396);
        server.Connection.SendStatus("status", "NetStream.Play.Reset", "Playing and resetting cam.");

        var replies = server.Replies(4096);
        Assert.Equal(RtmpCommand.Encode("onStatus", 0, Null, Object(Prop("level", "status"), Prop("code", "NetStream.Play.Start"),
            Prop("description", "Started playing cam."), Prop("mediaTimeMs", 4_294_967_396))), replies[0].Payload);
        Assert.Equal(RtmpCommand.Encode("onStatus", 0, Null, Object(Prop("level", "status"), Prop("code", "NetStream.Play.Reset"),
            Prop("description", "Playing and resetting cam."))), replies[1].Payload);
    }

    [Fact]
    public async Task AShortReplyAfterALongOneCarriesOnlyItsOwnBytes()
    {
        using var server = await HandshakenAsync();
        var longName = new string('x', 3000);

        server.Connection.SendStatus("status", "NetStream.Play.Start", $"Started playing {longName}.");
        server.Connection.SendStatus("error", "E", "e");
        server.Connection.SendSampleAccess();

        var replies = server.Replies(4096);
        Assert.Equal(3, replies.Count);
        Assert.Equal(RtmpCommand.Encode("onStatus", 0, Null, Object(Prop("level", "error"), Prop("code", "E"), Prop("description", "e"))),
            replies[1].Payload);
        Assert.Equal(Amf0Of(FromString("|RtmpSampleAccess"), FromBoolean(true), FromBoolean(true)), replies[2].Payload);
    }

    [Fact]
    public async Task RepliesFromSeveralThreadsStayWhole()
    {
        using var server = await HandshakenAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                server.Connection.SendStatus("status", $"code{t}", new string((char)('a' + t), 10 + (i * 37 % 500)));
            }
        })));

        var replies = server.Replies(4096);
        Assert.Equal(400, replies.Count);
        foreach (var reply in replies)
        {
            var info = RtmpCommand.Decode(reply.Payload).FirstArgument!;
            var thread = info.GetString("code")![4] - '0';
            Assert.All(info.GetString("description")!, c => Assert.Equal((char)('a' + thread), c));
        }
    }

    private static byte[] Amf0Of(params Amf0Value[] values)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value);
        }
        return writer.WrittenSpan.ToArray();
    }

    private static async Task<RtmpServerHarness> HandshakenAsync()
    {
        var server = new RtmpServerHarness(new RtmpServerOptions());
        server.SendHandshake();
        Assert.Equal("peer closed", await server.RunToEndAsync());
        return server;
    }
}
