using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Relay.Routing;

/// <summary>
/// An upstream's health endpoint on 127.0.0.1 with a free port: answers every request head with
/// <see cref="Status"/> and closes, or sends <see cref="RawAnswer"/> instead, or, when
/// <see cref="Silent"/>, accepts and never answers, or, when <see cref="Reset"/>, resets the
/// connection once the request is in. Records request heads and counts connections.
/// </summary>
internal sealed class HealthServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _closedByPeer;

    public HealthServer(int status = 200)
    {
        Status = status;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public int Status { get; set; }

    public bool Silent { get; set; }

    public string? RawAnswer { get; set; }

    public bool Reset { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections the prober closed while this server was still holding them (silent mode).</summary>
    public int ClosedByPeer => Volatile.Read(ref _closedByPeer);

    /// <summary>A loopback port nothing listens on: connects to it are refused.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        foreach (var client in _open)
        {
            client.Dispose();
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _open.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var received = new StringBuilder();
            var buffer = new byte[1024];
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    Interlocked.Increment(ref _closedByPeer);
                    return;
                }
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            Requests.Enqueue(received.ToString());
            if (Silent)
            {
                // Hold the connection open until the prober gives up on it.
                if (await stream.ReadAsync(buffer, _stop.Token) == 0)
                {
                    Interlocked.Increment(ref _closedByPeer);
                }
                return;
            }
            if (Reset)
            {
                // Linger 0: closing the socket itself (not the stream, which shuts down with a FIN first)
                // sends RST, so the prober's read fails with a reset.
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Dispose();
                return;
            }
            var answer = RawAnswer ?? $"HTTP/1.1 {Status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            client.Dispose();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
