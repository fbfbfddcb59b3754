using System.Buffers.Binary;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

public class RtmpServerReplyTests
{
    [Fact]
    public async Task StatusGoesOutAsOnStatusOnTheConnectionsStream()
    {
        using var server = await HandshakenAsync(new RtmpServerOptions { StreamId = 3 });

        server.Connection.SendStatus("error", "NetStream.Play.StreamNotFound", "Stream not found.");

        var message = Assert.Single(server.Replies());
        Assert.Equal(RtmpMessageType.CommandAmf0, message.TypeId);
        Assert.Equal(3u, message.StreamId);
        Assert.Equal(5, message.ChunkStreamId);
        var status = RtmpCommand.Decode(message.Payload);
        Assert.Equal("onStatus", status.Name);
        Assert.Equal(0, status.TransactionId);
        Assert.Null(status.CommandObject);
        Assert.Equal("error", status.FirstArgument!.GetString("level"));
        Assert.Equal("NetStream.Play.StreamNotFound", status.FirstArgument.GetString("code"));
        Assert.Equal("Stream not found.", status.FirstArgument.GetString("description"));
    }

    [Fact]
    public async Task StreamBeginAndStreamEofNameTheConnectionsStream()
    {
        using var server = await HandshakenAsync(new RtmpServerOptions { StreamId = 3 });

        server.Connection.SendStreamBegin();
        server.Connection.SendStreamEof();

        var replies = server.Replies();
        Assert.All(replies, m => Assert.Equal(RtmpMessageType.UserControl, m.TypeId));
        Assert.Equal([UserControlEvent.StreamBegin, UserControlEvent.StreamEof], replies.Select(m => BinaryPrimitives.ReadUInt16BigEndian(m.Payload)));
        Assert.All(replies, m => Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(m.Payload.AsSpan(2))));
    }

    [Fact]
    public async Task SampleAccessAllowsAudioAndVideo()
    {
        using var server = await HandshakenAsync(new RtmpServerOptions());

        server.Connection.SendSampleAccess();

        var message = Assert.Single(server.Replies());
        Assert.Equal(RtmpMessageType.DataAmf0, message.TypeId);
        Assert.Equal(1u, message.StreamId);
        var values = Amf0Reader.ReadAll(message.Payload);
        Assert.Equal(["|RtmpSampleAccess", "True", "True"], values.Select(v => v.Kind == Amf0Kind.String ? v.String : v.Boolean.ToString()));
    }

    [Fact]
    public async Task RepliesAreChunkedInTheServersChunkSize()
    {
        using var small = await HandshakenAsync(new RtmpServerOptions { ChunkSize = 128 });
        using var large = await HandshakenAsync(new RtmpServerOptions { ChunkSize = 4096 });
        var description = new string('d', 300);

        small.Connection.SendStatus("status", "NetStream.Play.Start", description);
        large.Connection.SendStatus("status", "NetStream.Play.Start", description);

        // The same message; at 128 bytes a chunk it needs continuation headers (one byte each).
        var payload = large.Replies(chunkSize: 4096).Single().Payload;
        Assert.Equal(RtmpHandshake.ServerResponseSize + 12 + payload.Length, large.Written.Length);
        Assert.Equal(RtmpHandshake.ServerResponseSize + 12 + payload.Length + (payload.Length - 1) / 128, small.Written.Length);
        Assert.Equal(payload, small.Replies().Single().Payload);
    }

    /// <summary>A connection whose peer handshook and left: the Send methods keep no state, so they still write.</summary>
    private static async Task<RtmpServerHarness> HandshakenAsync(RtmpServerOptions options)
    {
        var server = new RtmpServerHarness(options);
        server.SendHandshake();
        Assert.Equal("peer closed", await server.RunToEndAsync());
        return server;
    }
}
