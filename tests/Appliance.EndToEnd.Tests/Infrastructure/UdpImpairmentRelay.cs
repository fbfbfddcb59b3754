using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A UDP relay on 127.0.0.1 (a free port) that forwards each client's datagrams to a target from a
/// socket of its own, and the target's answers back, spoiling both directions as a long lossy link
/// would (this kernel has no netem): each datagram is dropped with probability <see cref="LossPercent"/>,
/// else delivered after <see cref="DelayMs"/> ± uniform <see cref="JitterMs"/>, so jitter may reorder
/// datagrams as real paths do. Counts what it dropped and delivered. Seeded, so a run is repeatable
/// up to the scheduler's timing.
/// </summary>
public sealed class UdpImpairmentRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Socket _front;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _backs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly List<Task> _loops = [];
    private long _dropped;
    private long _delivered;

    public UdpImpairmentRelay(int targetPort, double lossPercent, int delayMs, int jitterMs, int seed = 19)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        LossPercent = lossPercent;
        DelayMs = delayMs;
        JitterMs = jitterMs;
        _random = new Random(seed);
        _front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_front.LocalEndPoint!).Port;
        _loops.Add(Task.Run(FrontLoopAsync));
    }

    /// <summary>Where clients send instead of the target.</summary>
    public int Port { get; }

    public double LossPercent { get; }

    /// <summary>One-way delay, each direction.</summary>
    public int DelayMs { get; }

    public int JitterMs { get; }

    /// <summary>Datagrams dropped, both directions.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams delivered, both directions.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    // Client to target: each client gets its own socket toward the target, as a NAT would.
    private async Task FrontLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _front.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var client = (IPEndPoint)received.RemoteEndPoint;
            var back = _backs.GetOrAdd(client, OpenBack);
            Forward(back, _target, buffer.AsSpan(0, received.ReceivedBytes).ToArray());
        }
    }

    private Socket OpenBack(IPEndPoint client)
    {
        var back = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        lock (_loops)
        {
            _loops.Add(Task.Run(() => BackLoopAsync(back, client)));
        }
        return back;
    }

    // Target to client, through the front socket so the client sees the address it sent to.
    private async Task BackLoopAsync(Socket back, IPEndPoint client)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await back.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Forward(_front, client, buffer.AsSpan(0, received.ReceivedBytes).ToArray());
        }
    }

    private void Forward(Socket from, IPEndPoint to, byte[] datagram)
    {
        int delay;
        lock (_randomGate)
        {
            if (_random.NextDouble() * 100 < LossPercent)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            delay = Math.Max(0, DelayMs + (JitterMs == 0 ? 0 : _random.Next(-JitterMs, JitterMs + 1)));
        }
        _ = SendLaterAsync(from, to, datagram, delay);
    }

    private async Task SendLaterAsync(Socket from, IPEndPoint to, byte[] datagram, int delayMs)
    {
        try
        {
            await Task.Delay(delayMs, _stop.Token);
            await from.SendToAsync(datagram, SocketFlags.None, to, _stop.Token);
            Interlocked.Increment(ref _delivered);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        _front.Dispose();
        foreach (var back in _backs.Values)
        {
            back.Dispose();
        }
        Task[] loops;
        lock (_loops)
        {
            loops = [.. _loops];
        }
        await Task.WhenAll(loops);
        _stop.Dispose();
    }
}
