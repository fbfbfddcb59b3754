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
}
