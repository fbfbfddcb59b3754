using System.Net.Sockets;
using System.Text;
using Appliance.Node.ControlSocket;
using Appliance.Control.Contract;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>Whatever a client sends, the control socket answers an error or closes that connection; the node goes on.</summary>
public sealed class ControlHostileInputTests
{
    [Theory]
    [InlineData("garbage\n", "malformed request")]
    [InlineData("[1,2,3]\n", "malformed request")]
    [InlineData("{\"command\":\"status\",\"evil\":1}\n", "malformed request")]
    [InlineData("{\"command\":\"selfdestruct\"}\n", "unknown command 'selfdestruct'; commands: status, streams")]
    [InlineData("{\"command\":\"\"}\n", "the request has no command")]
    [InlineData("{\"version\":2,\"command\":\"status\"}\n", "protocol version 2 is not supported")]
    [InlineData("{\"command\":\"kick\",\"session\":\"x\"}\n", "malformed request")]
    [InlineData("null\n", "the request must be a JSON object")]
    public async Task A_bad_request_gets_an_error_reply_and_the_connection_stays_usable(string line, string error)
    {
        await using var node = await ControlHarness.StartAsync();
        using var socket = node.Connect();

        var reply = await ControlHarness.AskAsync(socket, line);
        var next = await ControlHarness.AskAsync(socket, "{\"command\":\"status\"}\n");

        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Contains(error, reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(next.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_command_echo_is_cut_and_stripped_of_control_characters()
    {
        await using var node = await ControlHarness.StartAsync();
        using var socket = node.Connect();

        var reply = await ControlHarness.AskAsync(socket, "{\"command\":\"\\u001b[31m" + new string('x', 500) + "\"}\n");

        var error = reply.GetProperty("error").GetString()!;
        Assert.DoesNotContain('\u001b', error);
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public async Task A_huge_line_gets_an_error_and_the_connection_is_closed()
    {
        await using var node = await ControlHarness.StartAsync();
        using var socket = node.Connect();

        await socket.SendAsync(Encoding.UTF8.GetBytes(new string('a', ControlProtocol.MaxRequestBytes + 10)), SocketFlags.None);
        var reply = await ControlHarness.ReadLineAsync(socket);

        Assert.Contains("request line longer than 65536 bytes", reply, StringComparison.Ordinal);
        Assert.True(await ControlHarness.ClosedAsync(socket, TimeSpan.FromSeconds(5)));
        Assert.True((await node.AskAsync(new ControlRequest { Command = "status" })).Ok);
    }

    [Fact]
    public async Task Several_requests_on_one_line_each_get_a_reply_in_order()
    {
        await using var node = await ControlHarness.StartAsync();
        using var socket = node.Connect();

        await socket.SendAsync("{\"command\":\"kick\",\"session\":1}\n\n{\"command\":\"status\"}\r\n"u8.ToArray(), SocketFlags.None);
        var first = await ControlHarness.ReadLineAsync(socket);
        var second = await ControlHarness.ReadLineAsync(socket);

        Assert.Contains("no session 1", first, StringComparison.Ordinal);
        Assert.Contains("\"status\":", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_and_others_are_answered_meanwhile()
    {
        await using var node = await ControlHarness.StartAsync();
        using var hog = node.Connect();
        hog.ReceiveBufferSize = 4096;
        var request = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"command\":\"config\"}\n", 200)));

        // Keeps asking without reading: the replies fill the socket buffers and the daemon's reply deadline expires.
        var sending = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 200; i++)
                {
                    await hog.SendAsync(request, SocketFlags.None, Eventually.Deadline());
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
            }
        });
        var answered = await node.AskAsync(new ControlRequest { Command = "status" });

        Assert.True(answered.Ok);
        await Eventually.WaitAsync(() => node.Logs.Contains("did not read its reply"), TimeSpan.FromSeconds(20), "the hog closed for not reading");
        Assert.True((await node.AskAsync(new ControlRequest { Command = "status" })).Ok);
        hog.Dispose();
        await sending;
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_refused_and_the_node_still_answers()
    {
        await using var node = await ControlHarness.StartAsync();
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < ControlServer.MaxConnections; i++)
            {
                idle.Add(node.Connect());
            }
            // Each is served once it sends a line; let them be accepted first.
            foreach (var socket in idle)
            {
                await ControlHarness.AskAsync(socket, "{\"command\":\"routes\"}\n");
            }
            using var extra = node.Connect();

            Assert.True(await ControlHarness.ClosedAsync(extra, TimeSpan.FromSeconds(5)));
            Assert.True(node.Logs.Contains("more than 32 connections"));
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                if ((await node.AskAsync(new ControlRequest { Command = "status" })).Ok)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                // Still at the limit: the idle clients' ends are being noticed.
            }
            Assert.True(DateTime.UtcNow < deadline, "the node never answered again after the idle clients left");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_client_that_goes_quiet_is_closed_after_the_idle_time()
    {
        await using var node = await ControlHarness.StartAsync();
        var path = Path.Combine(node.Directory, "idle.sock");
        await using var control = new ControlServer(path, new ControlCommands(node.Server), node.Server.Context.Logger, new ControlConnectionLimits(IdleMs: 300));
        control.Start();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));

        var answered = await ControlHarness.AskAsync(socket, "{\"command\":\"status\"}\n");

        Assert.True(answered.GetProperty("ok").GetBoolean());
        Assert.True(await ControlHarness.ClosedAsync(socket, TimeSpan.FromSeconds(5)), "a quiet control client stayed connected");
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced_and_a_live_one_is_refused()
    {
        await using var node = await ControlHarness.StartAsync();
        var stale = Path.Combine(node.Directory, "stale.sock");
        StaleUnixSocket.Create(stale);
        Assert.True(File.Exists(stale));

        await using var replaced = new ControlServer(stale, new ControlCommands(node.Server), node.Server.Context.Logger);
        var refused = Assert.Throws<IOException>(() => new ControlServer(node.SocketPath, new ControlCommands(node.Server), node.Server.Context.Logger));

        Assert.Contains("another daemon answers", refused.Message, StringComparison.Ordinal);
    }
}
