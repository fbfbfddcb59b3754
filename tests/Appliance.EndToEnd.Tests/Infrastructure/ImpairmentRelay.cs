using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1 (a free port) that forwards every connection to a target and spoils
/// the path on the way, since this kernel has no netem: delay, jitter, a rate cap and stalls per
/// direction (<see cref="Impairment"/>), changeable while connections run, so a test can make one
/// parent's path bad and another's good and swap them. <see cref="Cut"/> drops every current
/// connection; <see cref="Refuse"/> makes new connects fail as if nothing listened. Memory is
/// bounded per connection and direction (<c>maxBufferedBytes</c>): past it the relay stops
/// reading and TCP pushes back on the sender, as a full path would.
/// </summary>
public sealed class ImpairmentRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly int _maxBufferedBytes;
    private readonly ImpairmentDirection _toTarget = new();
    private readonly ImpairmentDirection _fromTarget = new();
    private readonly ConcurrentDictionary<Relayed, Task> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _listenGate = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _refuse;
    private int _accepted;

    /// <param name="maxBufferedBytes">Bytes one direction of one connection may hold (being delayed, stalled or paced).</param>
    public ImpairmentRelay(IPEndPoint target, int maxBufferedBytes = 4 * 1024 * 1024)
    {
        _target = target;
        _maxBufferedBytes = maxBufferedBytes;
        Listen(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_listener!.LocalEndPoint!).Port;
    }

    public ImpairmentRelay(int targetPort, int maxBufferedBytes = 4 * 1024 * 1024)
        : this(new IPEndPoint(IPAddress.Loopback, targetPort), maxBufferedBytes)
    {
    }

    /// <summary>Where clients connect instead of the target.</summary>
    public int Port { get; }

    /// <summary>
    /// The receive buffer of each connection to the target, fixed (0: the kernel's, which grows to
    /// tcp_rmem's maximum, 32 MB here: a path that queues seconds of a stream). A small one makes the
    /// relay a bottleneck with a short queue, as a real one drops beyond its buffer.
    /// </summary>
    public int TargetReceiveBufferBytes { get; init; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Client to target (what a puller sends: requests, acknowledgements).</summary>
    public Impairment ToTarget
    {
        get => _toTarget.Current.Impairment;
        set => _toTarget.Set(value);
    }

    /// <summary>Target to client (what a puller receives: the media).</summary>
    public Impairment FromTarget
    {
        get => _fromTarget.Current.Impairment;
        set => _fromTarget.Set(value);
    }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections relayed right now.</summary>
    public int Open => _connections.Count;

    /// <summary>Bytes delivered to the target and to the clients, all connections together.</summary>
    public long BytesToTarget => _toTarget.Sent;

    public long BytesFromTarget => _fromTarget.Sent;

    /// <summary>Bytes read from clients and not yet delivered to the target: what the relay holds in that direction.</summary>
    public long HeldToTarget => _toTarget.Received - _toTarget.Sent;

    /// <summary>Bytes read from the target and not yet delivered to the clients.</summary>
    public long HeldFromTarget => _fromTarget.Received - _fromTarget.Sent;

    /// <summary>
    /// While true nothing listens on <see cref="Port"/>, so connects are refused by the kernel;
    /// connections already relayed go on. Back to false, the same port listens again.
    /// </summary>
    public bool Refuse
    {
        get
        {
            lock (_listenGate)
            {
                return _refuse;
            }
        }
        set
        {
            lock (_listenGate)
            {
                if (value == _refuse || _stop.IsCancellationRequested)
                {
                    return;
                }
                _refuse = value;
                if (value)
                {
                    _listener!.Dispose();
                }
                else
                {
                    Listen(new IPEndPoint(IPAddress.Loopback, Port));
                }
            }
        }
    }

    /// <summary>Both directions at once.</summary>
    public void Set(Impairment impairment)
    {
        ToTarget = impairment;
        FromTarget = impairment;
    }

    /// <summary>Closes every current connection at once (a reset to both ends), as a broken path would end them.</summary>
    public void Cut()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_listenGate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            _stop.Cancel();
            _listener?.Dispose();
        }
        Cut();
        await _acceptLoop;
        await Task.WhenAll(_connections.Values);
        _stop.Dispose();
    }

    private void Listen(IPEndPoint at)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Accepted connections in TIME_WAIT hold the port; listening on it again must not wait for them.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(at);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        var previous = _acceptLoop;
        _acceptLoop = Task.WhenAll(previous, AcceptAsync(listener));
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            var connection = new Relayed(client);
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = completion.Task;
            _ = RelayAsync(connection, completion);
        }
    }

    private async Task RelayAsync(Relayed connection, TaskCompletionSource completion)
    {
        bool clean = false;
        try
        {
            var target = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (TargetReceiveBufferBytes > 0)
            {
                target.ReceiveBufferSize = TargetReceiveBufferBytes;
            }
            connection.Target = target;
            connection.Client.NoDelay = true;
            await target.ConnectAsync(_target, _stop.Token);
            var up = new ImpairmentPump(connection.Client, target, _toTarget, _maxBufferedBytes).RunAsync(_stop.Token);
            var down = new ImpairmentPump(target, connection.Client, _fromTarget, _maxBufferedBytes).RunAsync(_stop.Token);
            // One side failing (a reset, a cut) ends the other too; a clean end of both is the normal close.
            var first = await Task.WhenAny(up, down);
            if (!first.IsCompletedSuccessfully)
            {
                connection.Abort();
            }
            await Task.WhenAll(up, down);
            clean = true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            if (clean)
            {
                connection.Close();
            }
            else
            {
                connection.Abort();
            }
            _connections.TryRemove(connection, out _);
            completion.SetResult();
        }
    }

    /// <summary>A client connection and the connection to the target made for it.</summary>
    private sealed class Relayed(Socket client)
    {
        public Socket Client { get; } = client;

        public Socket? Target { get; set; }

        /// <summary>Both directions ended with a FIN and all was sent: close as any peer would.</summary>
        public void Close()
        {
            Client.Dispose();
            Target?.Dispose();
        }

        /// <summary>Linger 0 turns the close into a reset, so both ends learn at once rather than wait on a dead path.</summary>
        public void Abort()
        {
            foreach (var socket in new[] { Client, Target })
            {
                if (socket is null)
                {
                    continue;
                }
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
                socket.Dispose();
            }
        }
    }
}
