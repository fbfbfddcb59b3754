using System.Buffers;
using System.Net.Sockets;
using Appliance.Load.Targets;

namespace Appliance.Load.Viewers.Counting;

/// <summary>
/// Reads a live connection without a receive buffer of its own: it waits for data with a
/// zero-byte read, then takes what has arrived into a buffer it holds only for that read. 20,000
/// viewers waiting hold no buffers (a 16 KB pipe each would be 320 MB); the consumer counts the
/// bytes in place. Plain TCP reads with a non-blocking receive into the thread's own buffer, so a
/// wake-up without data (a stale readiness event) holds nothing and costs one syscall; TLS reads
/// into a pooled buffer given back after each read.
/// </summary>
internal static class LiveReadLoop
{
    /// <summary>Large enough to take a merged write of a few hundred ms of a 2.5 Mbit/s stream in one read.</summary>
    public const int ReadSize = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>Reads until the server closes (false) or the consumer says the stream ended (true).</summary>
    public static Task<bool> RunAsync(LoadConnection connection, ILiveConsumer consumer, CancellationToken cancel) =>
        ReferenceEquals(connection.Tcp, connection.Stream)
            ? RunPlainAsync(connection.Tcp, consumer, cancel)
            : RunStreamAsync(connection.Stream, consumer, cancel);

    private static async Task<bool> RunPlainAsync(NetworkStream tcp, ILiveConsumer consumer, CancellationToken cancel)
    {
        var socket = tcp.Socket;
        // Only the synchronous receive below is affected: it returns WouldBlock instead of waiting.
        socket.Blocking = false;
        while (true)
        {
            await SendAsync(tcp, consumer, cancel).ConfigureAwait(false);
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancel).ConfigureAwait(false);
            // No await between taking the thread's buffer and the consumer returning: nobody else uses it meanwhile.
            var buffer = t_buffer ??= new byte[ReadSize];
            var read = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                continue;
            }
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
            if (read == 0)
            {
                return false;
            }
            if (consumer.Consume(buffer.AsMemory(0, read)))
            {
                return true;
            }
        }
    }

    private static async Task<bool> RunStreamAsync(Stream stream, ILiveConsumer consumer, CancellationToken cancel)
    {
        while (true)
        {
            await SendAsync(stream, consumer, cancel).ConfigureAwait(false);
            await stream.ReadAsync(Memory<byte>.Empty, cancel).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
            try
            {
                // Usually completes at once: the zero-byte read said data is there.
                var read = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }
                if (consumer.Consume(buffer.AsMemory(0, read)))
                {
                    return true;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async ValueTask SendAsync(Stream stream, ILiveConsumer consumer, CancellationToken cancel)
    {
        var outgoing = consumer.Outgoing;
        if (!outgoing.IsEmpty)
        {
            await stream.WriteAsync(outgoing, cancel).ConfigureAwait(false);
            consumer.Sent();
        }
    }
}
