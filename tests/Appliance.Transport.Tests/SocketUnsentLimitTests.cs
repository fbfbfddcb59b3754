using System.Buffers.Binary;

namespace Appliance.Transport.Tests;

public class SocketUnsentLimitTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Limiting_unsent_bytes_sets_the_sockets_TCP_NOTSENT_LOWAT(string transport)
    {
        await using var pair = await SocketPair.CreateAsync(transport: transport);

        pair.Server.Output.LimitUnsent(64 * 1024);

        Span<byte> value = stackalloc byte[sizeof(int)];
        pair.Server.Socket.GetRawSocketOption(6, 25, value);
        Assert.Equal(64 * 1024, BinaryPrimitives.ReadInt32LittleEndian(value));
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task A_socket_already_closed_is_left_alone(string transport)
    {
        var pair = await SocketPair.CreateAsync(transport: transport);
        var output = pair.Server.Output;
        await pair.DisposeAsync();

        // The viewer is gone; its writer finds out on its first write, not here.
        output.LimitUnsent(64 * 1024);
    }
}
