using System.Net.Sockets;

namespace Appliance.Transport.Tests;

/// <summary>
/// A connection that gives up its reader (an HTTP viewer whose request became a stream) must still
/// see the peer leave, however it leaves, and count what it sent meanwhile.
/// </summary>
public class SocketInputTests
{
    [Fact]
    public async Task What_the_peer_sends_is_dropped_and_counted_until_it_closes()
    {
        await using var pair = await SocketPair.CreateAsync();
        await pair.Client.SendAsync("GET /live/cam.flv HTTP/1.1\r\n\r\nleft over"u8.ToArray());
        var request = await pair.Server.Input.ReadAtLeastAsync(4);
        pair.Server.Input.AdvanceTo(request.Buffer.GetPosition(4));

        var watching = pair.Server.DiscardInputUntilClosedAsync();
        // More than one discard chunk, then the close.
        await pair.Client.SendAsync(new byte[5000]);
        Assert.False(watching.IsCompleted);
        pair.Client.Shutdown(SocketShutdown.Send);

        var discarded = await watching.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("GET /live/cam.flv HTTP/1.1\r\n\r\nleft over".Length - 4 + 5000, discarded);
        Assert.Throws<InvalidOperationException>(() => pair.Server.Input);
    }

    [Fact]
    public async Task A_reset_fails_the_watch()
    {
        await using var pair = await SocketPair.CreateAsync();
        var watching = pair.Server.DiscardInputUntilClosedAsync();

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        await Assert.ThrowsAsync<SocketException>(() => watching.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Aborting_the_connection_ends_the_watch()
    {
        await using var pair = await SocketPair.CreateAsync();
        var watching = pair.Server.DiscardInputUntilClosedAsync();

        pair.Server.Abort();

        // Ended either way (the shutdown may be seen as an end before the descriptor is gone); the
        // session names the abort's reason, not the watch's.
        var failed = await Record.ExceptionAsync(() => watching.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(failed is null or SocketException or ObjectDisposedException, failed?.ToString());
        Assert.True(watching.IsCompleted);
    }
}
