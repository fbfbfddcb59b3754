using System.Net.Sockets;
using System.Text;
using Appliance.Node.Config;
using Appliance.Node.Hosting;
using Appliance.Node.Metrics;
using Appliance.Node.Server;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Server;

/// <summary>transport.send: which writer a node's sockets get, what it says when io_uring is refused, and what /metrics shows.</summary>
public sealed class SendTransportTests
{
    [Fact]
    public async Task A_node_configured_for_io_uring_answers_through_the_ring_and_says_so_in_metrics()
    {
        var logs = new LogCollector();
        await using var node = Start(SendModes.IoUring, logs);

        var reply = await RequestAsync(node, "GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 404", reply, StringComparison.Ordinal);
        var status = NodeStatus.Capture(node);
        Assert.Equal("io_uring", status.Transport.Send);
        Assert.True(status.Transport.RingEnters > 0, "no io_uring_enter was made");
        Assert.True(status.Transport.RingSubmitted >= 1, "the reply was not submitted through the ring");
        var metrics = PrometheusText.Parse(Encoding.UTF8.GetString(NodeMetrics.Render(status, maxStreamLabels: 10)));
        Assert.Equal(1, metrics.Value("appliance_transport_send_info", "send=\"io_uring\""));
        Assert.Equal((double)status.Transport.RingEnters, metrics.Value("appliance_uring_enters_total"));
        Assert.Equal((double)status.Transport.RingSubmitted, metrics.Value("appliance_uring_submitted_total"));
        Assert.True(logs.Contains("writing through io_uring"), logs.Dump());
    }

    [Theory]
    [InlineData(SendModes.IoUring, "transport.send io_uring: io_uring unavailable (APPLIANCE_IO_URING_DISABLE=1); writing with epoll")]
    [InlineData(SendModes.Auto, "transport.send auto: io_uring unavailable (APPLIANCE_IO_URING_DISABLE=1); writing with epoll")]
    public async Task A_refused_ring_is_one_log_line_and_the_node_serves_on_epoll(string send, string line)
    {
        var logs = new LogCollector();
        var config = Config(send);
        var transport = SendTransport.Open(config.Transport, logs.CreateLogger("node"), name => name == "APPLIANCE_IO_URING_DISABLE" ? "1" : null);

        Assert.Equal("epoll", transport.Name);
        Assert.Null(transport.Ring);
        Assert.Equal(new[] { line }, logs.Lines.Select(l => l.Message));

        // The same refusal through the process environment, as the daemon meets it: it still serves.
        await using var node = Start(send, new LogCollector(), refuse: true);
        var reply = await RequestAsync(node, "GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404", reply, StringComparison.Ordinal);
        Assert.Equal("epoll", NodeStatus.Capture(node).Transport.Send);
    }

    [Fact]
    public void Epoll_makes_no_ring_and_logs_nothing()
    {
        var logs = new LogCollector();

        var transport = SendTransport.Open(new TransportConfig(), logs.CreateLogger("node"));

        Assert.Equal("epoll", transport.Name);
        Assert.Null(transport.Ring);
        Assert.Empty(logs.Lines);
    }

    private static ApplianceServer Start(string send, LogCollector logs, bool refuse = false)
    {
        var config = Config(send);
        var server = refuse
            ? WithRefusal(() => new ApplianceServer(config, new LoggerFactory([logs])))
            : new ApplianceServer(config, new LoggerFactory([logs]));
        server.Start();
        return server;
    }

    // Only this class's tests read the variable, and a class's tests run one at a time.
    private static ApplianceServer WithRefusal(Func<ApplianceServer> start)
    {
        Environment.SetEnvironmentVariable("APPLIANCE_IO_URING_DISABLE", "1");
        try
        {
            return start();
        }
        finally
        {
            Environment.SetEnvironmentVariable("APPLIANCE_IO_URING_DISABLE", null);
        }
    }

    private static ApplianceConfig Config(string send)
    {
        var config = new ApplianceConfig();
        config.Rtmp.Listen = "127.0.0.1:0";
        config.Http.Listen = "127.0.0.1:0";
        config.Admin.Listen = "";
        config.Control.Socket = "off";
        config.Transport.Send = send;
        return config;
    }

    private static async Task<string> RequestAsync(ApplianceServer node, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(Eventually.Timeout);
        await socket.ConnectAsync(node.HttpEndPoint, deadline.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            reply.Write(buffer, 0, read);
        }
        return Encoding.ASCII.GetString(reply.ToArray());
    }
}
