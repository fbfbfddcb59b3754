using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.Tests.Support;
using Appliance.Transport.Sockets;
using Appliance.Transport.Uring;

namespace Appliance.Transport.Tests;

/// <summary>A stopping ring and the sends the kernel still holds for peers that will never read them.</summary>
public class SendRingShutdownTests
{
    [Fact]
    public async Task Stopping_the_ring_cancels_a_send_parked_on_a_peer_that_never_reads_and_fails_its_writer()
    {
        // Its own ring: the shared one must outlive this test.
        var ring = SendRing.TryStart(out var refusal) ?? throw new InvalidOperationException(refusal);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var accept = listener.AcceptAsync();
        await peer.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await accept;
        accepted.SendBufferSize = 4096;
        await using var server = new SocketConnection(accepted, sendRing: ring);
        var payload = SharedBuffer.CopyOf(new byte[4 * 1024 * 1024]);
        try
        {
            // The peer never reads: the first send fills both buffers, the rest parks on the socket's poll in the kernel.
            var write = server.Output.WriteAsync(new[] { new BufferSlice(payload) }, default).AsTask();
            await Eventually.WaitAsync(() => server.Output.Syscalls >= 1 && ring.Held >= 1, "the rest of the write parked in the kernel");
            Assert.False(write.IsCompleted, "4 MB went to a peer that reads nothing");

            var stopping = Stopwatch.StartNew();
            ring.Dispose();
            stopping.Stop();

            // Before: the ring waited its full 2 s for this send, stopped, and left the writer waiting for ever.
            Assert.True(stopping.ElapsedMilliseconds < 1500, $"the ring took {stopping.ElapsedMilliseconds} ms to stop");
            await Assert.ThrowsAsync<SocketException>(() => write.WaitAsync(Eventually.Timeout));
        }
        finally
        {
            ring.Dispose();
            payload.Release();
        }
    }
}
