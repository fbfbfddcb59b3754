using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>
/// Watching a socket nobody reads from any more: one zero-byte receive at a time (no buffer while
/// it waits), then whatever arrived is read into a small stack buffer and dropped.
/// </summary>
internal static class SocketInput
{
    private const int DiscardChunk = 512;

    /// <summary>
    /// Returns the bytes dropped (counted from <paramref name="discarded"/>) once the peer closes;
    /// throws as a receive does when the connection fails or is aborted. One async frame while it
    /// waits: a viewer waits here for as long as it watches.
    /// </summary>
    public static async Task<long> DiscardUntilClosedAsync(Socket socket, long discarded)
    {
        while (true)
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
            // A zero-byte receive may complete on a stale readiness event (see ReadinessGuardedStream):
            // wait again unless data or the end is really there.
            if (!socket.Poll(0, SelectMode.SelectRead))
            {
                continue;
            }
            var read = DiscardAvailable(socket);
            if (read == 0)
            {
                return discarded;
            }
            discarded += read;
        }
    }

    private static int DiscardAvailable(Socket socket)
    {
        Span<byte> sink = stackalloc byte[DiscardChunk];
        return socket.Receive(sink, SocketFlags.None);
    }
}
