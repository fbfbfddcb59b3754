using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Load.Hostile;

/// <summary>
/// One hostile connection: connect, send the kind's bytes while reading whatever the server sends,
/// until the server closes the connection or <c>wait</c> has passed since the connect. Reading all
/// along times the close when it happens, not at the next write.
/// </summary>
internal static class HostileConnection
{
    /// <summary>Bytes of the server's answer kept to describe it.</summary>
    private const int ReplyPrefix = 128;

    public static async Task RunAsync(HostileResult result, string host, int port, string path, string authority, int seed, TimeSpan wait, CancellationToken runOver)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(runOver);
        timeUp.CancelAfter(wait);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeUp.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            result.Outcome = HostileOutcome.ConnectFailed;
            result.Error = e is SocketException s ? $"socket: {s.SocketErrorCode}" : "no answer";
            result.ElapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return;
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(timeUp.Token);
        var sending = HostilePayloads.SendAsync(result.Kind, stream, new Random(seed), path, authority, stopSending.Token);
        var reply = new byte[ReplyPrefix];
        var replied = 0;
        var handshake = false;
        try
        {
            if (result.Kind == HostileKind.GiantChunk)
            {
                // It reads the server's handshake itself before it sends the rest.
                await sending.ConfigureAwait(false);
                handshake = true;
                result.BytesReceived = HostilePayloads.HandshakeReply;
            }
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeUp.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                var keep = Math.Min(read, ReplyPrefix - replied);
                buffer.AsSpan(0, keep).CopyTo(reply.AsSpan(replied));
                replied += keep;
                result.BytesReceived += read;
            }
            result.Outcome = HostileOutcome.ClosedByServer;
        }
        catch (EndOfStreamException)
        {
            // The server closed before the whole handshake was in.
            result.Outcome = HostileOutcome.ClosedByServer;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            result.Outcome = HostileOutcome.ClosedByServer;
            result.Reset = true;
        }
        catch (OperationCanceledException)
        {
            result.Outcome = HostileOutcome.LeftOpen;
        }
        result.ElapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        result.Reply = Describe(result.Kind, reply.AsSpan(0, replied), handshake);
        await stopSending.CancelAsync().ConfigureAwait(false);
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            // Writes fail once the server has closed; that is what was wanted.
        }
    }

    private static string Describe(HostileKind kind, ReadOnlySpan<byte> prefix, bool handshake)
    {
        var before = handshake ? "the handshake (S0 S1 S2)" : "";
        if (prefix.IsEmpty)
        {
            return handshake ? $"{before}, then nothing" : "nothing";
        }
        if (!kind.IsRtmp() && prefix.StartsWith("HTTP/"u8))
        {
            var end = prefix.IndexOf("\r\n"u8);
            return Encoding.ASCII.GetString(end >= 0 ? prefix[..end] : prefix);
        }
        return handshake ? $"{before}, then other bytes" : kind.IsRtmp() ? "other bytes" : "bytes that are not an HTTP response";
    }
}
