using Appliance.Load.Targets;
using Appliance.Load.Viewers.Counting;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Viewers;

/// <summary>
/// One RTMP player: handshake, connect, play, then media counted as it arrives until the run ends.
/// Messages are never reassembled once playing (<see cref="RtmpChunkCounter"/>), and the
/// connection holds no receive buffer between reads (<see cref="LiveReadLoop"/>).
/// </summary>
internal static class RtmpViewer
{
    public static async Task RunAsync(StreamUrl url, ViewerStats stats, CancellationToken runOver)
    {
        stats.OnStart();
        LoadConnection? connection = null;
        string? error = null;
        try
        {
            connection = await LoadConnector.ConnectAsync(url, runOver).ConfigureAwait(false);
            var stream = connection.Value.Stream;
            var session = new RtmpPlaySession(url, stats);
            await HandshakeAsync(stream, session, runOver).ConfigureAwait(false);
            await LiveReadLoop.RunAsync(connection.Value, session, runOver).ConfigureAwait(false);
            error = session.Playing
                ? session.StreamEofReceived ? "stream ended (StreamEOF) and the server closed" : "the server closed the connection"
                : "RtmpProtocolException: The server closed the connection.";
        }
        catch (OperationCanceledException) when (runOver.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = ErrorText.Of(e);
        }
        finally
        {
            if (connection is { } opened)
            {
                opened.Tcp.Socket.Dispose();
                await opened.Stream.DisposeAsync().ConfigureAwait(false);
            }
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    /// <summary>C0+C1 out, S0+S1+S2 in (read to exactly their end, so nothing after them is taken), then C2 and connect are queued.</summary>
    private static async Task HandshakeAsync(Stream stream, RtmpPlaySession session, CancellationToken cancel)
    {
        var buffer = new byte[RtmpHandshake.ServerResponseSize];
        RtmpHandshake.WriteClientHello(buffer);
        await stream.WriteAsync(buffer.AsMemory(0, RtmpHandshake.ClientHelloSize), cancel).ConfigureAwait(false);
        try
        {
            await stream.ReadExactlyAsync(buffer, cancel).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new RtmpHandshakeException("The server closed the connection during the handshake.");
        }
        if (buffer[0] != RtmpHandshake.Version)
        {
            throw new RtmpHandshakeException($"The server answered with RTMP version {buffer[0]}.");
        }
        session.Start(buffer.AsSpan(1, RtmpHandshake.PacketSize));
    }
}
