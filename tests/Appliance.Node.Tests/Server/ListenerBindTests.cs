using System.Net;
using System.Net.Sockets;
using Appliance.Node.Config;
using Appliance.Node.Server;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Server;

/// <summary>A listener that cannot bind names its config key and address, and gives back the ports already opened.</summary>
public sealed class ListenerBindTests
{
    [Fact]
    public void A_port_in_use_names_the_listener_and_address()
    {
        using var occupant = Occupy(out var port);
        var config = Config(rtmp: $"127.0.0.1:{port}", http: "127.0.0.1:0", admin: "");

        var error = Assert.Throws<ListenerException>(() => Start(config));

        Assert.Equal($"rtmp.listen 127.0.0.1:{port}: address already in use", error.Message);
    }

    [Fact]
    public async Task A_later_listener_that_fails_closes_the_ones_opened_before_it()
    {
        using var occupant = Occupy(out var busy);
        var free = FreePort();
        var config = Config(rtmp: $"127.0.0.1:{free}", http: "127.0.0.1:0", admin: $"127.0.0.1:{busy}");

        var error = Assert.Throws<ListenerException>(() => Start(config));

        Assert.Equal($"admin.listen 127.0.0.1:{busy}: address already in use", error.Message);
        // The RTMP port bound first is free again: a second node can take it.
        await using var again = Start(Config(rtmp: $"127.0.0.1:{free}", http: "127.0.0.1:0", admin: ""));
        Assert.Equal(free, again.RtmpEndPoint.Port);
    }

    [Fact]
    public void An_address_this_host_does_not_have_is_named()
    {
        // 192.0.2.0/24 is TEST-NET-1: documentation only, on no interface.
        var config = Config(rtmp: "127.0.0.1:0", http: "192.0.2.1:8080", admin: "");

        var error = Assert.Throws<ListenerException>(() => Start(config));

        Assert.Equal("http.listen 192.0.2.1:8080: no such address on this host", error.Message);
    }

    [Fact]
    public void A_control_socket_that_cannot_be_made_names_the_key_and_path()
    {
        // A regular file where the socket's directory should be: no one, root included, can make it.
        var file = Path.GetTempFileName();
        try
        {
            var path = Path.Combine(file, "control.sock");
            var config = Config(rtmp: "127.0.0.1:0", http: "127.0.0.1:0", admin: "");
            config.Control.Socket = path;

            var error = Assert.Throws<ListenerException>(() => Start(config));

            Assert.StartsWith($"control.socket {path}: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ApplianceServer Start(ApplianceConfig config) => new(config, new LoggerFactory());

    private static ApplianceConfig Config(string rtmp, string http, string admin)
    {
        var config = new ApplianceConfig();
        config.Rtmp.Listen = rtmp;
        config.Http.Listen = http;
        config.Admin.Listen = admin;
        config.Control.Socket = "off";
        return config;
    }

    private static Socket Occupy(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static int FreePort()
    {
        using var socket = Occupy(out var port);
        return port;
    }
}
