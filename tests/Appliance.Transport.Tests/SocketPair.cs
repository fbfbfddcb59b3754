using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tests;

/// <summary>A real loopback TCP connection: the server end as the appliance sees it, the client end as a plain socket.</summary>
internal sealed class SocketPair : IAsyncDisposable
{
    private SocketPair(SocketConnection server, Socket client)
    {
        Server = server;
        Client = client;
    }

    public SocketConnection Server { get; }

    public Socket Client { get; }

    /// <param name="transport">"epoll" or "io_uring": how the server end writes (<see cref="Transports"/>).</param>
    /// <param name="serverSendBuffer">SO_SNDBUF of the server end; 0 = the kernel's (autotuned).</param>
    public static async Task<SocketPair> CreateAsync(int clientReceiveBuffer = 0, string transport = Transports.Epoll, int serverSendBuffer = 0)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (clientReceiveBuffer > 0)
        {
            client.ReceiveBufferSize = clientReceiveBuffer;
        }
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accept;
        if (serverSendBuffer > 0)
        {
            server.SendBufferSize = serverSendBuffer;
        }
        return new SocketPair(new SocketConnection(server, sendRing: Transports.RingFor(transport)), client);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, as slowly as asked.</summary>
    public async Task<byte[]> ReadAsync(int count, int chunk = 64 * 1024, int pauseMs = 0)
    {
        var result = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await Client.ReceiveAsync(result.AsMemory(read, Math.Min(chunk, count - read)));
            if (n == 0)
            {
                throw new IOException($"closed after {read} of {count} bytes");
            }
            read += n;
            if (pauseMs > 0)
            {
                await Task.Delay(pauseMs);
            }
        }
        return result;
    }

    /// <summary>
    /// A one-byte receive on the server end that pends on a token of its own source, as a pipe's
    /// read does; the source is held only weakly, so a test can see whether the socket keeps it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public (WeakReference Source, ValueTask<int> Receive) StartServerReceiveWithOwnToken()
    {
        var source = new CancellationTokenSource();
        return (new WeakReference(source), Server.Socket.ReceiveAsync(new byte[1], SocketFlags.None, source.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Client.Dispose();
    }
}
