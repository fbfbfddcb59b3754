using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

public class DeadlineTests
{
    [Fact]
    public async Task AClientThatNeverFinishesTheHandshakeIsClosedAtTheDeadline()
    {
        using var server = new TestServer(config => config.Deadlines.HandshakeMs = 100);
        var (connection, run) = server.StartRtmp();

        // A valid C0 (version 3) and the start of C1, then nothing.
        await connection.SendAsync(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        await run.WaitAsync(Eventually.Timeout);

        Assert.True(connection.IsAborted);
        Assert.True(server.Logs.Contains("handshake not completed in time"), server.Logs.Dump());
    }

    [Fact]
    public async Task AConnectionThatSendsNothingAfterTheHandshakeIsClosedWhenIdle()
    {
        using var server = new TestServer(config => config.Deadlines.IdleMs = 100);
        var ct = Eventually.Deadline();
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        await run.WaitAsync(Eventually.Timeout);

        Assert.True(server.Logs.Contains("idle: nothing received for 100 ms"), server.Logs.Dump());
    }
}
