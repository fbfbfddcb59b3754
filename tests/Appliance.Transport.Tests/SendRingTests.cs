using Appliance.Tests.Support;
using System.Net;
using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.Transport.Sockets;
using Appliance.Transport.Uring;

namespace Appliance.Transport.Tests;

/// <summary>The io_uring send ring itself: refusal, its counters, zero-copy sends.</summary>
public class SendRingTests
{
    [Fact]
    public void The_disable_variable_refuses_the_ring_with_its_name_as_the_reason()
    {
        var ring = SendRing.TryStart(out var refusal, environment: name => name == SendRing.DisableVariable ? "1" : null);

        Assert.Null(ring);
        Assert.Equal("APPLIANCE_IO_URING_DISABLE=1", refusal);
    }

    [Fact]
    public async Task Writes_to_many_sockets_are_counted_as_submitted_entries_and_enters()
    {
        var ring = Transports.RingFor(Transports.IoUring)!;
        var pairs = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => SocketPair.CreateAsync(transport: Transports.IoUring)));
        var payload = SharedBuffer.CopyOf(new byte[1000]);
        try
        {
            var submittedBefore = ring.Submitted;
            var entersBefore = ring.Enters;

            await Task.WhenAll(pairs.Select(p => p.Server.Output.WriteAsync(new[] { new BufferSlice(payload) }, default).AsTask()));
            foreach (var pair in pairs)
            {
                await pair.ReadAsync(1000);
            }

            // Other tests share the ring, so only lower bounds hold: each write is one entry at least.
            Assert.True(ring.Submitted - submittedBefore >= pairs.Length, $"{ring.Submitted - submittedBefore} entries for {pairs.Length} writes");
            Assert.True(ring.Enters > entersBefore);
            Assert.All(pairs, p => Assert.Equal(1, p.Server.Output.Syscalls));
        }
        finally
        {
            foreach (var pair in pairs)
            {
                await pair.DisposeAsync();
            }
            payload.Release();
        }
    }

    [Fact]
    public async Task Zero_copy_sends_deliver_every_byte_in_order_to_a_slow_reader()
    {
        using var ring = SendRing.TryStart(out var refusal, zeroCopyMinBytes: 4096) ?? throw new InvalidOperationException(refusal);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        await using var server = new SocketConnection(await accept, sendRing: ring);
        var buffers = Enumerable.Range(0, 24).Select(i =>
        {
            var bytes = new byte[i % 3 == 0 ? 100 : 64 * 1024];
            new Random(i).NextBytes(bytes);
            return SharedBuffer.CopyOf(bytes);
        }).ToArray();
        var expected = buffers.SelectMany(b => b.Span.ToArray()).ToArray();

        var write = server.Output.WriteAsync(buffers.Select(b => new BufferSlice(b)).ToArray(), default).AsTask();
        var received = new byte[expected.Length];
        var read = 0;
        while (read < received.Length)
        {
            var n = await client.ReceiveAsync(received.AsMemory(read, Math.Min(8192, received.Length - read)));
            Assert.NotEqual(0, n);
            read += n;
        }
        await write.WaitAsync(Eventually.Timeout);

        Assert.Equal(expected, received);
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
    }
}
