using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

public class RtmpServerHandshakeTests
{
    [Fact]
    public async Task APlainHelloIsAnsweredWithS0S1AndAnS2EchoingC1()
    {
        using var server = new RtmpServerHarness();
        var hello = server.SendHandshake();

        var reason = await server.RunToEndAsync();

        var written = server.Written;
        Assert.Equal("peer closed", reason);
        Assert.Equal(RtmpHandshake.ServerResponseSize, written.Length);
        Assert.Equal(RtmpHandshake.Version, written[0]);
        Assert.Equal(hello[1..], written[(1 + RtmpHandshake.PacketSize)..]);
        Assert.Equal(["handshake"], server.Handler.Events);
        Assert.Equal(RtmpHandshake.ClientHelloSize + RtmpHandshake.PacketSize, server.Handler.BytesReceived);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(RtmpHandshake.ClientHelloSize + 10)]
    public async Task AHandshakeCutShortEndsAsClosedDuringHandshake(int sent)
    {
        using var server = new RtmpServerHarness();
        var bytes = new byte[sent];
        bytes[0] = RtmpHandshake.Version;
        server.Send(bytes);

        var reason = await server.RunToEndAsync();

        Assert.Equal("closed during handshake", reason);
        Assert.Empty(server.Handler.Events);
    }

    [Fact]
    public async Task AnEncryptedHandshakeIsRefusedWithAReason()
    {
        using var server = new RtmpServerHarness();
        var hello = new byte[RtmpHandshake.ClientHelloSize];
        hello[0] = 6;
        server.Send(hello);

        var refused = await Assert.ThrowsAsync<RtmpHandshakeException>(server.RunToEndAsync);

        Assert.Contains("RTMPE", refused.Message);
        Assert.Empty(server.Written);
    }

    [Fact]
    public async Task A_peer_that_is_not_rtmp_is_refused_at_its_first_byte_without_waiting_for_more()
    {
        using var server = new RtmpServerHarness();
        // "G" of "GET / HTTP/1.1", and the connection stays open: nothing else will come.
        server.Send("G"u8);

        var refused = await Assert.ThrowsAsync<RtmpHandshakeException>(() => server.Connection.RunAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("Unsupported RTMP version 71.", refused.Message);
        Assert.Empty(server.Written);
    }
}
