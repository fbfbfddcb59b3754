using System.Buffers.Binary;
using System.Net.Sockets;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Transport.Files;

namespace Appliance.Transport.Tests;

/// <summary>A response's head and its file body (an HLS segment): one response on the wire, whole and in order.</summary>
public class SocketHeadAndFileTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task The_head_leaves_in_the_same_packet_as_the_files_first_bytes(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        var body = RandomBytes(16 * 1024, seed: 1);
        using var file = FileOf(body);
        var head = SharedBuffer.CopyOf("HTTP/1.1 200 OK\r\nContent-Length: 16384\r\n\r\n"u8);
        var before = SegmentsOut(pair.Server.Socket);

        await pair.Server.Output.WriteThenSendFileAsync(new[] { new BufferSlice(head) }, file.File, 0, body.Length, default);
        var received = await pair.ReadAsync(head.Length + body.Length);

        Assert.Equal([.. head.Span.ToArray(), .. body], received);
        // Loopback's MSS is about 64 KB: head and body fit one segment, unless the head was pushed alone.
        Assert.Equal(1u, SegmentsOut(pair.Server.Socket) - before);
        head.Release();
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_head_and_a_file_range_arrive_whole_and_in_order_when_the_reader_is_slow(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 8 * 1024, transport: transport);
        var body = RandomBytes(6 * 1024 * 1024, seed: 2);
        using var file = FileOf(body);
        var parts = new[] { SharedBuffer.CopyOf("HTTP/1.1 206 Partial Content\r\n"u8), SharedBuffer.CopyOf("Content-Range: bytes 1000-..\r\n\r\n"u8) };
        var headBytes = parts.SelectMany(p => p.Span.ToArray()).ToArray();

        var send = pair.Server.Output.WriteThenSendFileAsync(parts.Select(p => new BufferSlice(p)).ToArray(), file.File, 1000, body.Length - 1500, default).AsTask();
        var received = await pair.ReadAsync(headBytes.Length + body.Length - 1500, chunk: 32 * 1024, pauseMs: 1);
        await send;

        Assert.Equal([.. headBytes, .. body.AsSpan(1000, body.Length - 1500).ToArray()], received);
        Assert.True(pair.Server.Output.Syscalls > 2, "the kernel took 6 MB at once: the socket-full path was not exercised");
        foreach (var part in parts)
        {
            part.Release();
        }
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_head_the_socket_cannot_take_at_once_still_comes_before_the_file(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(clientReceiveBuffer: 8 * 1024, transport: transport);
        // A "head" far larger than the socket buffers: the first sendmsg stops part way.
        var bigHead = SharedBuffer.CopyOf(RandomBytes(4 * 1024 * 1024, seed: 3));
        var body = RandomBytes(256 * 1024, seed: 4);
        using var file = FileOf(body);

        var send = pair.Server.Output.WriteThenSendFileAsync(new[] { new BufferSlice(bigHead) }, file.File, 0, body.Length, default).AsTask();
        var received = await pair.ReadAsync(bigHead.Length + body.Length, chunk: 64 * 1024, pauseMs: 1);
        await send;

        Assert.Equal([.. bigHead.Span.ToArray(), .. body], received);
        bigHead.Release();
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task An_empty_range_writes_the_head_alone(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        using var file = FileOf(RandomBytes(1024, seed: 5));
        var head = SharedBuffer.CopyOf("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8);

        await pair.Server.Output.WriteThenSendFileAsync(new[] { new BufferSlice(head) }, file.File, 0, 0, default);
        var received = await pair.ReadAsync(head.Length);

        Assert.Equal(head.Span.ToArray(), received);
        head.Release();
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Sending_to_a_peer_that_closed_fails_with_a_socket_error(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);
        pair.Client.Close();
        var head = SharedBuffer.CopyOf(new byte[100]);
        using var file = FileOf(RandomBytes(1024 * 1024, seed: 6));

        var failure = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await pair.Server.Output.WriteThenSendFileAsync(new[] { new BufferSlice(head) }, file.File, 0, 1024 * 1024, default);
            }
        });

        Assert.IsType<SocketException>(failure);
        head.Release();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static OwnedFile FileOf(byte[] bytes)
    {
        using var writer = MemoryFileWriter.Create("segment");
        writer.Append(bytes);
        return new OwnedFile(writer.Complete());
    }

    /// <summary>tcp_info's tcpi_segs_out (Linux 4.2+): TCP segments this socket sent.</summary>
    private static uint SegmentsOut(Socket socket)
    {
        const int IpProtoTcp = 6, TcpInfo = 11, SegsOutOffset = 136;
        Span<byte> info = stackalloc byte[256];
        var length = socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
        Assert.True(length >= SegsOutOffset + 4, $"tcp_info is {length} bytes: no tcpi_segs_out on this kernel");
        return BinaryPrimitives.ReadUInt32LittleEndian(info[SegsOutOffset..]);
    }

    private sealed class OwnedFile(SharedFile file) : IDisposable
    {
        public SharedFile File { get; } = file;

        public void Dispose() => File.Release();
    }
}
