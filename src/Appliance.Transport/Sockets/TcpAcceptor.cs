using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Uring;

namespace Appliance.Transport.Sockets;

/// <summary>Accepts TCP connections on one endpoint and hands each to a handler on the thread pool.</summary>
public sealed class TcpAcceptor : IAsyncDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Socket _listener;
    // One of the two: a plain connection's handler, or (TLS) what takes the accepted socket.
    private readonly Func<SocketConnection, Task>? _handler;
    private readonly Func<Socket, Task>? _run;
    private readonly SendRing? _sendRing;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;

    /// <param name="sendRing">The io_uring the connections write through; null = sendmsg on epoll.</param>
    public TcpAcceptor(IPEndPoint endPoint, Func<SocketConnection, Task> handler, int backlog = 4096, SendRing? sendRing = null)
        : this(endPoint, backlog, null)
    {
        _handler = handler;
        _sendRing = sendRing;
    }

    private TcpAcceptor(IPEndPoint endPoint, int backlog, Func<Socket, Task>? run)
    {
        _run = run;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone, so a restart can bind while old connections sit in TIME_WAIT. The
        // managed ReuseAddress option also sets SO_REUSEPORT on Linux, which would let a second
        // daemon bind the same port and silently take half of the connections.
        if (OperatingSystem.IsLinux())
        {
            _listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            _listener.DualMode = true;
        }
        _listener.Bind(endPoint);
        _listener.Listen(backlog);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <summary>
    /// An acceptor that hands each accepted socket as it is to <paramref name="run"/>, which owns it
    /// from then on (TLS wraps it in its own connection after the handshake).
    /// </summary>
    public static TcpAcceptor ForSockets(IPEndPoint endPoint, Func<Socket, Task> run, int backlog = 4096) =>
        new(endPoint, backlog, run);

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Called when accept fails for a reason other than shutdown (e.g. out of descriptors).</summary>
    public Action<Exception>? AcceptError { get; set; }

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                AcceptError?.Invoke(ex);
                // EMFILE and friends: back off briefly instead of spinning on the error.
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }
            _ = RunHandlerAsync(socket);
        }
    }

    private async Task RunHandlerAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            if (_handler is { } handler)
            {
                // The connection runs in this frame, not in a second async method: a viewer's
                // connection lives for hours, and each frame it waits in is held per connection.
                var connection = new SocketConnection(socket, sendRing: _sendRing);
                try
                {
                    await handler(connection).ConfigureAwait(false);
                }
                finally
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                return;
            }
            await _run!(socket).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AcceptError?.Invoke(ex);
        }
    }

    /// <summary>Stops accepting; connections already handed out keep running.</summary>
    public void StopAccepting()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        StopAccepting();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
