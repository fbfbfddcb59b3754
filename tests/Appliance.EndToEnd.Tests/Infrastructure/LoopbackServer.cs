using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A plain TCP peer on 127.0.0.1 for testing the relay without the daemon: echoes what it
/// receives, or only takes it in (a sink), recording every byte and when it arrived.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ConcurrentBag<Task> _serving = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly MemoryStream _received = new();
    private readonly List<(double AtMs, int Bytes)> _arrivals = [];
    private readonly Task _acceptLoop;
    private int _closedByPeer;

    private LoopbackServer(bool echo)
    {
        Echo = echo;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public bool Echo { get; }

    /// <summary>Connections that ended from the other side (a FIN or a reset).</summary>
    public int ClosedByPeer => Volatile.Read(ref _closedByPeer);

    public static LoopbackServer StartEcho() => new(echo: true);

    public static LoopbackServer StartSink() => new(echo: false);

    public long ReceivedBytes
    {
        get
        {
            lock (_gate)
            {
                return _received.Length;
            }
        }
    }

    public byte[] Received()
    {
        lock (_gate)
        {
            return _received.ToArray();
        }
    }

    /// <summary>When each read completed (ms since the server started) and how much it brought.</summary>
    public (double AtMs, int Bytes)[] Arrivals()
    {
        lock (_gate)
        {
            return [.. _arrivals];
        }
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
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Task.WhenAll(_serving);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            client.NoDelay = true;
            _clients.Add(client);
            _serving.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var stream = client.GetStream();
            while (true)
            {
                int read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                lock (_gate)
                {
                    _received.Write(buffer, 0, read);
                    _arrivals.Add((_clock.Elapsed.TotalMilliseconds, read));
                }
                if (Echo)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            client.Client.Shutdown(SocketShutdown.Send);
            Interlocked.Increment(ref _closedByPeer);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _closedByPeer);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
