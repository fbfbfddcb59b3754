using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Appliance.Protocols.Rtmp;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Rtmp;

public class BadInputTests
{
    [Fact]
    public async Task ATruncatedHandshakeThenCloseEndsTheSessionQuietly()
    {
        using var server = new TestServer();
        var (connection, run) = server.StartRtmp();

        var truncated = new byte[100];
        truncated[0] = 3;
        await connection.SendAsync(truncated);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Contains("reason=\"closed during handshake\""), server.Logs.Dump());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.Empty(server.Sessions.Sessions);
    }

    [Fact]
    public async Task GarbageAmfInACommandClosesTheConnectionWithAReason()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        // A string that says 16 bytes and brings 1.
        await peer.SendMessageAsync(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, [0x02, 0x00, 0x10, 0x61]);
        await peer.ReadToEndAsync(ct);
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Lines.Any(l => l.Level == LogLevel.Warning && l.Message.Contains("Malformed command message")), server.Logs.Dump());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AMessageLargerThanTheLimitClosesTheConnectionBeforeItArrives()
    {
        using var server = new TestServer(config => config.Rtmp.MaxMessageBytes = 65536);
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        // fmt 0 on chunk stream 3: timestamp 0, length 100000, video, stream 1; then one chunk of it.
        byte[] header = [0x03, 0, 0, 0, 0x01, 0x86, 0xA0, 0x09, 1, 0, 0, 0];
        await connection.SendAsync((byte[])[.. header, .. new byte[128]]);
        await peer.ReadToEndAsync(ct);
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Contains("Message of 100000 bytes on chunk stream 3 exceeds the limit of 65536"), server.Logs.Dump());
    }

    [Fact]
    public async Task ABadSessionDoesNotDisturbAnother()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var (goodConnection, goodRun) = server.StartRtmp();
        var good = await RtmpClients.ConnectAsync(goodConnection, "live", ct);
        await good.PublishAsync("cam", ct);
        var (badConnection, badRun) = server.StartRtmp();
        var bad = new RawRtmpPeer(badConnection);
        await bad.HandshakeAsync(ct);

        await bad.SendMessageAsync(3, 0, 99, 0, [1]);
        await badRun.WaitAsync(Eventually.Timeout);
        await good.SendMediaAsync(RtmpMessageType.Video, 0, Payloads.AvcSequenceHeader(), ct);

        await Eventually.WaitAsync(() => server.Streams.Streams.Single().Stats.Frames == 1, "the good publisher's frame");
        Assert.False(goodRun.IsCompleted);
        await good.DisposeAsync();
        await goodRun.WaitAsync(Eventually.Timeout);
    }
}
