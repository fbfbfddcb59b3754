using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tests;

public class TcpConnectorTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Connects_to_a_loopback_listener_and_carries_bytes_both_ways()
    {
        var ct = Deadline();
        using var listener = Listen(IPAddress.Loopback);
        var accept = listener.AcceptAsync(ct);

        await using var stream = await TcpConnector.Default.ConnectAsync("127.0.0.1", Port(listener), 5000, ct);
        using var server = await accept;

        await stream.WriteAsync("ping"u8.ToArray(), ct);
        Assert.Equal("ping", await ReceiveAsync(server, 4, ct));
        await server.SendAsync("pong"u8.ToArray(), SocketFlags.None, ct);
        var buffer = new byte[4];
        await stream.ReadExactlyAsync(buffer, ct);
        Assert.Equal("pong"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task A_connected_socket_gets_the_options_an_accepted_one_gets()
    {
        var ct = Deadline();
        using var listener = Listen(IPAddress.Loopback);
        var accept = listener.AcceptAsync(ct);

        await using var stream = await TcpConnector.Default.ConnectAsync("127.0.0.1", Port(listener), 5000, ct);
        await using var accepted = new SocketConnection(await accept);

        // NoDelay is read back from the kernel (getsockopt TCP_NODELAY), not from a managed field.
        Assert.True(stream.Socket.NoDelay);
        Assert.True(accepted.Socket.NoDelay);
    }

    [Fact]
    public async Task Localhost_is_resolved_and_reaches_a_listener_on_127_0_0_1()
    {
        var ct = Deadline();
        using var listener = Listen(IPAddress.Loopback);
        var accept = listener.AcceptAsync(ct);

        // Whether the resolver lists ::1 first or not, the IPv4 listener is reached.
        await using var stream = await TcpConnector.Default.ConnectAsync("localhost", Port(listener), 5000, ct);
        using var server = await accept;
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)stream.Socket.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task A_name_s_addresses_are_tried_in_order_until_one_accepts()
    {
        var ct = Deadline();
        using var listener = Listen(IPAddress.Loopback);
        var accept = listener.AcceptAsync(ct);
        var asked = new List<string>();
        // 127.0.0.2 is loopback too, but nothing listens there: it refuses, the next address answers.
        var connector = new TcpConnector((name, _) =>
        {
            asked.Add(name);
            return Task.FromResult(new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Loopback });
        });

        await using var stream = await connector.ConnectAsync("parent.test", Port(listener), 5000, ct);
        using var server = await accept;

        Assert.Equal(["parent.test"], asked);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)stream.Socket.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task An_ip_literal_is_not_looked_up()
    {
        var ct = Deadline();
        using var listener = Listen(IPAddress.Loopback);
        var accept = listener.AcceptAsync(ct);
        var connector = new TcpConnector((name, _) => throw new InvalidOperationException($"looked up {name}"));

        var target = await connector.ResolveAsync("127.0.0.1", Port(listener), ct);
        await using var stream = await connector.ConnectAsync(target, 5000, ct);
        using var server = await accept;

        Assert.Equal([IPAddress.Loopback], target.Addresses);
        Assert.Equal($"127.0.0.1:{Port(listener)}", target.ToString());
    }

    [Fact]
    public async Task A_refused_connect_names_host_port_and_cause()
    {
        using var closed = BoundButNotListening();
        var port = Port(closed);

        var refused = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.Default.ConnectAsync("127.0.0.1", port, 5000, Deadline()));

        Assert.Equal($"connect to 127.0.0.1:{port} failed: connection refused", refused.Message);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal("connection refused", refused.Reason);
    }

    [Fact]
    public async Task When_every_address_of_a_name_refuses_the_error_names_the_name()
    {
        using var closed = BoundButNotListening();
        var port = Port(closed);
        var connector = new TcpConnector((_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Loopback }));

        var refused = await Assert.ThrowsAsync<ConnectException>(() => connector.ConnectAsync("parent.test", port, 5000, Deadline()));

        Assert.Equal($"connect to parent.test:{port} failed: connection refused", refused.Message);
    }

    [Fact]
    public void An_ipv6_literal_is_shown_in_brackets()
    {
        Assert.Equal("connect to [::1]:1935 failed: connection refused", ConnectException.Failed("::1", 1935, SocketError.ConnectionRefused).Message);
        Assert.Equal("connect to [fd00::7]:80 timed out after 250 ms", ConnectException.TimedOut("fd00::7", 80, 250).Message);
    }

    [Fact]
    public async Task An_unknown_name_fails_as_host_not_found()
    {
        var unknown = new TcpConnector((_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
        var empty = new TcpConnector((_, _) => Task.FromResult(Array.Empty<IPAddress>()));

        var thrown = await Assert.ThrowsAsync<ConnectException>(() => unknown.ConnectAsync("nowhere.test", 1935, 5000, Deadline()));
        var none = await Assert.ThrowsAsync<ConnectException>(() => empty.ConnectAsync("nowhere.test", 1935, 5000, Deadline()));

        Assert.Equal("connect to nowhere.test:1935 failed: host not found", thrown.Message);
        Assert.Equal("connect to nowhere.test:1935 failed: host not found", none.Message);
        Assert.Equal(SocketError.HostNotFound, none.SocketErrorCode);
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(65536, 1000)]
    [InlineData(-1, 1000)]
    [InlineData(1935, 0)]
    [InlineData(1935, -2)]
    public async Task A_port_or_timeout_out_of_range_is_refused_before_any_connect(int port, int timeoutMs)
    {
        var connector = new TcpConnector((name, _) => throw new InvalidOperationException($"looked up {name}"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => connector.ConnectAsync("parent.test", port, timeoutMs, Deadline()));
    }

    private static Socket Listen(IPAddress address, int backlog = 16)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(backlog);
        return socket;
    }

    /// <summary>A port that is ours (nobody else can take it) but refuses connections: bound, never listening.</summary>
    private static Socket BoundButNotListening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private static async Task<string> ReceiveAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            Assert.NotEqual(0, n);
            read += n;
        }
        return System.Text.Encoding.ASCII.GetString(buffer);
    }
}
