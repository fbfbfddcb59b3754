namespace Appliance.Transport.Tests;

public class SocketUnsentLimitTests
{
    [Fact]
    public async Task Limiting_unsent_bytes_sets_the_sockets_TCP_NOTSENT_LOWAT()
    {
        await using var pair = await SocketPair.CreateAsync();
        var sink = pair.Server.Output;

        sink.LimitUnsent(64 * 1024);

        Assert.Equal(64 * 1024, sink.UnsentLimit());
    }

    [Fact]
    public async Task A_socket_already_closed_is_left_alone()
    {
        var pair = await SocketPair.CreateAsync();
        var sink = pair.Server.Output;
        await pair.DisposeAsync();

        // The viewer is gone; its writer finds out on its first write, not here.
        sink.LimitUnsent(64 * 1024);
    }
}
