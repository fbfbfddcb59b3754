using Appliance.Core.Buffers;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

[Collection(SharedPoolCollection.Name)]
public class PartialMessageReleaseTests
{
    [Fact]
    public async Task APartlyReceivedMessageIsReleasedWhenThePeerLeaves()
    {
        using var server = new TestServer();
        var ct = Eventually.Deadline();
        var baseline = BufferPool.Shared.Outstanding;
        var (connection, run) = server.StartRtmp();
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);

        // A 60000-byte video message of which only the first chunk arrives.
        byte[] header = [0x06, 0, 0, 0, 0x00, 0xEA, 0x60, 0x09, 1, 0, 0, 0];
        await connection.SendAsync((byte[])[.. header, .. new byte[128]]);
        connection.CloseInput();
        await run.WaitAsync(Eventually.Timeout);

        await Eventually.WaitAsync(() => BufferPool.Shared.Outstanding == baseline, TimeSpan.FromSeconds(2),
            $"shared buffers back to {baseline}");
    }
}
