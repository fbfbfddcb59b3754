using Appliance.Core.Buffers;
using Appliance.Transport.Files;

namespace Appliance.Transport.Tests;

public class SocketGatherSinkTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Many_buffers_go_out_in_order_with_one_gather_write(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        var buffers = Enumerable.Range(0, 10).Select(i => SharedBuffer.CopyOf(Enumerable.Repeat((byte)i, 100).ToArray())).ToArray();
        var slices = buffers.Select(b => new BufferSlice(b)).ToArray();

        await pair.Server.Output.WriteAsync(slices, default);

        var received = await pair.ReadAsync(1000);
        Assert.Equal(buffers.SelectMany(b => b.Span.ToArray()).ToArray(), received);
        Assert.Equal(1, pair.Server.Output.Syscalls);
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task The_connection_reports_the_socket_writes_to_whoever_holds_it_as_an_IConnection(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        Core.Connections.IConnection connection = pair.Server;
        var buffer = SharedBuffer.CopyOf(new byte[100]);

        await connection.Output.WriteAsync(new[] { new BufferSlice(buffer) }, default);
        await connection.Output.WriteAsync(new[] { new BufferSlice(buffer) }, default);
        await pair.ReadAsync(200);
        buffer.Release();

        // Sessions count viewers' writes through the interface: the default (0, for sinks that make no system calls) must not hide the socket's.
        Assert.Equal(2, connection.Output.Syscalls);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_gather_write_larger_than_the_socket_buffers_waits_for_the_reader_and_loses_nothing(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 8 * 1024, transport: transport);
        var random = new Random(7);
        var buffers = Enumerable.Range(0, 200).Select(_ =>
        {
            var bytes = new byte[40 * 1024];
            random.NextBytes(bytes);
            return SharedBuffer.CopyOf(bytes);
        }).ToArray();
        var expected = buffers.SelectMany(b => b.Span.ToArray()).ToArray();

        var write = pair.Server.Output.WriteAsync(buffers.Select(b => new BufferSlice(b)).ToArray(), default).AsTask();
        var received = await pair.ReadAsync(expected.Length, chunk: 16 * 1024, pauseMs: 1);
        await write;

        Assert.Equal(expected, received);
        Assert.True(pair.Server.Output.Syscalls > 1, "the kernel took 8 MB at once: this test did not exercise the slow path");
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_file_range_goes_out_by_sendfile_even_when_the_reader_is_slow(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 8 * 1024, transport: transport);
        var bytes = new byte[6 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        using var writer = MemoryFileWriter.Create("segment");
        writer.Append(bytes);
        var file = writer.Complete();

        var send = pair.Server.Output.SendFileAsync(file, 1000, bytes.Length - 2000, default).AsTask();
        var received = await pair.ReadAsync(bytes.Length - 2000, chunk: 32 * 1024, pauseMs: 1);
        await send;

        Assert.Equal(bytes.AsSpan(1000, bytes.Length - 2000).ToArray(), received);
        Assert.True(pair.Server.Output.Syscalls > 1, "the kernel took 6 MB at once: the socket-full fallback was not exercised");
        file.Release();
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Writing_to_a_connection_the_peer_closed_fails_with_a_socket_error(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        pair.Client.Close();
        var buffer = SharedBuffer.CopyOf(new byte[64 * 1024]);

        var failure = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await pair.Server.Output.WriteAsync(new[] { new BufferSlice(buffer) }, default);
            }
        });

        Assert.IsType<System.Net.Sockets.SocketException>(failure);
        buffer.Release();
    }
}
