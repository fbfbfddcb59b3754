using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tests;

/// <summary>
/// The connect deadline against a listener whose accept queue is full: with backlog 0 Linux queues
/// one connection, then drops further SYNs, so the next connect gets no answer at all (as from a
/// host that has gone away) and only the deadline ends it.
/// </summary>
public class TcpConnectorDeadlineTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task A_connect_that_gets_no_answer_times_out_at_the_deadline_naming_host_and_port()
    {
        using var full = new FullBacklog();
        var port = full.Port;

        var clock = Stopwatch.StartNew();
        var timedOut = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.Default.ConnectAsync("127.0.0.1", port, 300, Deadline()));
        clock.Stop();

        Assert.Equal($"connect to 127.0.0.1:{port} timed out after 300 ms", timedOut.Message);
        Assert.Equal(SocketError.TimedOut, timedOut.SocketErrorCode);
        Assert.InRange(clock.ElapsedMilliseconds, 250, 5_000);
    }

    [Fact]
    public async Task The_caller_s_cancellation_stays_a_cancellation()
    {
        using var full = new FullBacklog();
        var port = full.Port;
        using var withoutDeadline = new CancellationTokenSource(200);
        using var beforeDeadline = new CancellationTokenSource(200);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TcpConnector.Default.ConnectAsync("127.0.0.1", port, Timeout.Infinite, withoutDeadline.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TcpConnector.Default.ConnectAsync("127.0.0.1", port, 60_000, beforeDeadline.Token));
    }

    [Fact]
    public async Task The_deadline_covers_a_name_lookup_that_never_answers()
    {
        // The resolver ignores cancellation on purpose: the deadline must hold anyway.
        var silent = new TaskCompletionSource<IPAddress[]>();
        var connector = new TcpConnector((_, _) => silent.Task);

        var clock = Stopwatch.StartNew();
        var timedOut = await Assert.ThrowsAsync<ConnectException>(() => connector.ConnectAsync("slow-dns.test", 1935, 200, Deadline()));

        Assert.Equal("connect to slow-dns.test:1935 timed out after 200 ms", timedOut.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 150, 5_000);
    }

    [Fact]
    public async Task A_resolved_target_connects_under_its_own_deadline()
    {
        using var full = new FullBacklog();
        var port = full.Port;
        var target = await TcpConnector.Default.ResolveAsync("127.0.0.1", port, Deadline());

        var timedOut = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.Default.ConnectAsync(target, 200, Deadline()));

        Assert.Equal($"connect to 127.0.0.1:{port} timed out after 200 ms", timedOut.Message);
    }

    /// <summary>A listener that never accepts, its one-connection queue already taken.</summary>
    private sealed class FullBacklog : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly Socket _queued = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public FullBacklog()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(0);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            // Completes at once: the kernel finishes the handshake of the one connection it queues.
            _queued.Connect(_listener.LocalEndPoint!);
        }

        public int Port { get; }

        public void Dispose()
        {
            _queued.Dispose();
            _listener.Dispose();
        }
    }
}
