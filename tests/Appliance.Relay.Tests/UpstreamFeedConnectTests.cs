using Appliance.Relay.Urls;
using System.Net;
using System.Net.Sockets;
using Appliance.Relay;
using Appliance.Relay.Pull;
using Appliance.Relay.Routing;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests;

/// <summary>Both pull feeds connect through the node's connector: its deadline and its error text are what the pull logs.</summary>
public sealed class UpstreamFeedConnectTests
{
    [Theory]
    [InlineData("rtmp://127.0.0.1:{0}/live")]
    [InlineData("http://127.0.0.1:{0}/{{app}}/{{stream}}.flv")]
    public async Task A_refused_connect_ends_the_attempt_naming_host_port_and_cause(string template)
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        var traffic = new TrafficTotals();

        var failed = await Assert.ThrowsAsync<UpstreamException>(() => OpenAsync(template, port, 5000, traffic));

        Assert.Equal($"connect to 127.0.0.1:{port} failed: connection refused", failed.Message);
        Assert.False(failed.StreamMissing);
        Assert.Equal(0, traffic.OpenOutbound);
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1:{0}/live")]
    [InlineData("http://127.0.0.1:{0}/{{app}}/{{stream}}.flv")]
    public async Task A_connect_with_no_answer_ends_at_pull_connect_timeout_not_at_the_attempt_s_deadline(string template)
    {
        // Backlog 0 and one connection queued: Linux drops the next SYN, so the connect gets no answer.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        queued.Connect(listener.LocalEndPoint!);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        // The attempt's own deadline (Eventually's 10 s) would end in a cancellation, not this.
        var failed = await Assert.ThrowsAsync<UpstreamException>(() => OpenAsync(template, port, 200, new TrafficTotals()));

        Assert.Equal($"connect to 127.0.0.1:{port} timed out after 200 ms", failed.Message);
    }

    private static Task<UpstreamFeed> OpenAsync(string template, int port, int connectTimeoutMs, TrafficTotals traffic)
    {
        Assert.True(UpstreamUrl.TryParse(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port), out var url, out var error), error);
        var candidate = new RouteCandidate(url);
        return url.Protocol == UpstreamProtocol.Rtmp
            ? RtmpUpstreamFeed.OpenAsync(candidate, "live", "cam", "appliance_via=edge", traffic, TcpConnector.Default, Appliance.Transport.Tls.TlsClientTrust.SystemStore, connectTimeoutMs, Eventually.Deadline())
            : HttpFlvUpstreamFeed.OpenAsync(candidate, "live", "cam", "appliance_via=edge", traffic, TcpConnector.Default, Appliance.Transport.Tls.TlsClientTrust.SystemStore, connectTimeoutMs, Eventually.Deadline());
    }
}
