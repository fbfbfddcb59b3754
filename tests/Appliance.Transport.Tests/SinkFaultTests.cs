using Appliance.Tests.Support;
using System.Net.Sockets;
using Appliance.Core.Buffers;

namespace Appliance.Transport.Tests;

/// <summary>
/// What a flush tick asks of the transport, on both: many sockets written at once, some slow,
/// one reset, one closed while its write waits. Each writer's fate is its own.
/// </summary>
public class SinkFaultTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Many_gathers_in_a_row_arrive_whole_and_in_order(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        var random = new Random(11);
        var writes = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            return SharedBuffer.CopyOf(bytes);
        }).ToArray()).ToArray();
        var expected = writes.SelectMany(w => w).SelectMany(b => b.Span.ToArray()).ToArray();

        var reading = pair.ReadAsync(expected.Length);
        foreach (var write in writes)
        {
            await pair.Server.Output.WriteAsync(write.Select(b => new BufferSlice(b)).ToArray(), default);
        }

        Assert.Equal(expected, await reading);
        Release(writes.SelectMany(w => w));
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_small_send_buffer_and_a_slow_reader_make_partial_sends_that_lose_nothing(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 4096, transport: transport, serverSendBuffer: 4096);
        var buffers = Enumerable.Range(0, 40).Select(i => SharedBuffer.CopyOf(Pattern(50_000, seed: i))).ToArray();
        // One slice is the middle of its buffer: a resubmitted rest must start where the kernel stopped, within the slice.
        var slices = buffers.Select((b, i) => i == 7 ? new BufferSlice(b, 1000, b.Length - 2000) : new BufferSlice(b)).ToArray();
        var expected = slices.SelectMany(s => s.Span.ToArray()).ToArray();

        var write = pair.Server.Output.WriteAsync(slices, default).AsTask();
        var received = await pair.ReadAsync(expected.Length, chunk: 4096, pauseMs: 1);
        await write;

        Assert.Equal(expected, received);
        Assert.True(pair.Server.Output.Syscalls > 1, "the kernel took 2 MB in one send: no partial send happened");
        Release(buffers);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_full_socket_holds_up_only_its_own_writer_and_closing_it_ends_its_write(string transport)
    {
        var pairs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SocketPair.CreateAsync(clientReceiveBuffer: 8192, transport: transport, serverSendBuffer: 8192)));
        var payload = SharedBuffer.CopyOf(Pattern(2 * 1024 * 1024, seed: 5));
        try
        {
            // pairs[0]'s reader never reads: its socket fills and its write waits for room.
            var writes = pairs.Select(p => p.Server.Output.WriteAsync(new[] { new BufferSlice(payload) }, default).AsTask()).ToArray();
            var reads = pairs.Skip(1).Select(p => p.ReadAsync(payload.Length, chunk: 256 * 1024)).ToArray();

            foreach (var read in reads)
            {
                Assert.Equal(payload.Span.ToArray(), await read);
            }
            await Task.WhenAll(writes.Skip(1)).WaitAsync(Eventually.Timeout);
            Assert.False(writes[0].IsCompleted, "2 MB fit in a socket whose reader never read");

            pairs[0].Server.Abort();
            var failure = await Record.ExceptionAsync(() => writes[0].WaitAsync(Eventually.Timeout));
            Assert.True(failure is SocketException or ObjectDisposedException, $"the closed connection's write ended with {failure?.GetType().Name ?? "success"}");
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

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_peer_reset_in_the_middle_of_a_batch_fails_only_that_writer(string transport)
    {
        var pairs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SocketPair.CreateAsync(transport: transport)));
        var payload = SharedBuffer.CopyOf(Pattern(256 * 1024, seed: 6));
        try
        {
            // An RST, not a FIN: linger 0 makes the close abortive.
            pairs[3].Client.LingerState = new LingerOption(true, 0);
            pairs[3].Client.Close();

            var writes = pairs.Select((p, i) => i == 3 ? WriteUntilFailureAsync(p, payload) : WriteOnceAsync(p, payload)).ToArray();
            var reads = pairs.Where((_, i) => i != 3).Select(p => p.ReadAsync(payload.Length)).ToArray();

            foreach (var read in reads)
            {
                Assert.Equal(payload.Span.ToArray(), await read);
            }
            var outcomes = await Task.WhenAll(writes).WaitAsync(Eventually.Timeout);
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (i == 3)
                {
                    Assert.IsType<SocketException>(outcomes[i]);
                }
                else
                {
                    Assert.Null(outcomes[i]);
                }
            }
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

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_cancelled_token_ends_a_write_that_waits_for_room(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 8192, transport: transport, serverSendBuffer: 8192);
        var payload = SharedBuffer.CopyOf(Pattern(2 * 1024 * 1024, seed: 7));
        using var cancel = new CancellationTokenSource();

        var write = pair.Server.Output.WriteAsync(new[] { new BufferSlice(payload) }, cancel.Token).AsTask();
        cancel.Cancel();
        var failure = await Record.ExceptionAsync(() => write.WaitAsync(Eventually.Timeout));

        Assert.True(failure is OperationCanceledException or SocketException, $"the write ended with {failure?.GetType().Name ?? "success"}");
        payload.Release();
    }

    private static async Task<Exception?> WriteOnceAsync(SocketPair pair, SharedBuffer payload) =>
        await Record.ExceptionAsync(async () => await pair.Server.Output.WriteAsync(new[] { new BufferSlice(payload) }, default));

    private static async Task<Exception?> WriteUntilFailureAsync(SocketPair pair, SharedBuffer payload) =>
        await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await pair.Server.Output.WriteAsync(new[] { new BufferSlice(payload) }, default);
            }
        });

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Release(IEnumerable<SharedBuffer> buffers)
    {
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
    }
}
