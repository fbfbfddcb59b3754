using System.Net.Sockets;
using Appliance.Core.Connections;

namespace Appliance.Transport.Tests;

/// <summary>
/// A socket connection read without its pipe (an RTMP player once it plays): it waits holding
/// nothing, receives what arrived, and sees the peer close, reset or the connection end.
/// </summary>
public class SocketRawInputTests
{
    [Fact]
    public async Task What_arrives_is_received_in_order_and_the_close_reads_as_zero()
    {
        await using var pair = await SocketPair.CreateAsync();
        Assert.True(pair.Server.HasRawInput);
        var raw = pair.Server.TakeRawInput();

        var waiting = raw.WaitAsync();
        await pair.Client.SendAsync(new byte[] { 1, 2, 3, 4, 5 });
        await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(raw.HasInput);
        var into = new byte[3];
        Assert.Equal(3, raw.Receive(into));
        Assert.Equal([1, 2, 3], into);
        // What is left makes the next wait complete at once.
        await raw.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, raw.Receive(into));
        Assert.Equal([4, 5], into[..2]);
        pair.Client.Shutdown(SocketShutdown.Send);
        await WaitForInputAsync(raw);

        Assert.Equal(0, raw.Receive(into));
        Assert.Throws<InvalidOperationException>(() => pair.Server.Input);
    }

    [Fact]
    public async Task A_reset_fails_the_receive()
    {
        await using var pair = await SocketPair.CreateAsync();
        var raw = pair.Server.TakeRawInput();

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        // The wait itself may see the reset, or the receive after it: either fails the connection.
        var failed = await Record.ExceptionAsync(async () =>
        {
            await WaitForInputAsync(raw);
            raw.Receive(new byte[16]);
        });
        Assert.IsType<SocketException>(failed);
    }

    [Fact]
    public async Task Aborting_the_connection_ends_the_wait()
    {
        await using var pair = await SocketPair.CreateAsync();
        var raw = pair.Server.TakeRawInput();
        var waiting = raw.WaitAsync().AsTask();

        pair.Server.Abort();

        // Ended either way (the shutdown may be seen as an end before the descriptor is gone).
        var failed = await Record.ExceptionAsync(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(failed is null or SocketException or ObjectDisposedException, failed?.ToString());
        Assert.True(waiting.IsCompleted);
    }

    [Fact]
    public async Task Waiting_lets_go_of_the_token_source_of_the_receive_before_it()
    {
        await using var pair = await SocketPair.CreateAsync();
        // As the pipe reads before a connection goes raw: a receive that pends on a token of its own source.
        var (source, receive) = pair.StartServerReceiveWithOwnToken();
        await pair.Client.SendAsync(new byte[] { 7 });
        Assert.Equal(1, await receive.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        var raw = pair.Server.TakeRawInput();

        // A wait may complete at once on a stale readiness event (see WaitForInputAsync): wait again.
        var waiting = raw.WaitAsync().AsTask();
        for (var tries = 0; waiting.IsCompleted && !raw.HasInput && tries < 100; tries++)
        {
            waiting = raw.WaitAsync().AsTask();
        }
        Assert.False(waiting.IsCompleted);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The runtime keeps a receive's cancellation registration on the socket's cached operation until a
        // later receive registers one of its own; a raw wait must, or every viewer keeps its pipe's source.
        Assert.False(source.IsAlive, "the socket still holds the token source of the receive before the wait");
        await pair.Client.SendAsync(new byte[] { 8 });
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task WaitForInputAsync(IRawInput raw)
    {
        // A zero-byte receive may complete before the readiness it reports is real: wait again until it is.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await raw.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (raw.HasInput)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the socket never became readable");
        }
    }
}
