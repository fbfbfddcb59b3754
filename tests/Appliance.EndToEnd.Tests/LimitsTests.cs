using System.Net.Sockets;
using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>Each limit refuses the excess with the right answer and a log line, and the daemon goes on.</summary>
public sealed class LimitsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Connections_past_the_per_ip_limit_get_503_and_a_slot_frees_when_one_closes()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"limits\": { \"maxConnectionsPerIp\": 3 },");
        var held = new List<TcpClient>();
        for (var i = 0; i < 3; i++)
        {
            // A keep-alive request answered proves the connection was admitted and stays counted.
            var (tcp, _, head) = await RawHttp.GetAsync(daemon.HttpPort, "/nothing", CancellationToken.None);
            Assert.Equal(404, head.Status);
            held.Add(tcp);
        }
        var firstPort = ((System.Net.IPEndPoint)held[0].Client.LocalEndPoint!).Port;

        var refused = await RawHttp.ExchangeAsync(daemon.HttpPort, Encoding.ASCII.GetBytes("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"), Deadline);
        held[0].Dispose();
        await Eventually(() => daemon.HasLog(l => l.Contains($"access proto=http client=127.0.0.1:{firstPort} ", StringComparison.Ordinal)));
        var admitted = await RawHttp.ExchangeAsync(daemon.HttpPort, Encoding.ASCII.GetBytes("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), Deadline);

        Assert.StartsWith("HTTP/1.1 503", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", admitted, StringComparison.Ordinal);
        Assert.True(daemon.HasLog(l => l.Contains("too many connections from 127.0.0.1 (3)", StringComparison.Ordinal)));
        held.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Rtmp_connections_past_the_total_limit_are_closed_at_once()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"limits\": { \"maxConnections\": 2 },");
        await using var first = await RawRtmp.ConnectAsync(daemon.RtmpPort);
        await using var second = await RawRtmp.ConnectAsync(daemon.RtmpPort);
        await first.HandshakeAsync(default);
        await second.HandshakeAsync(default);

        await using var third = await RawRtmp.ConnectAsync(daemon.RtmpPort);

        Assert.True(await third.WaitForCloseAsync(Deadline), "a connection past the limit stayed open");
        await daemon.WaitForLogAsync(l => l.Contains("connection limit reached (2)", StringComparison.Ordinal), Deadline);
    }

    [Fact]
    public async Task Viewers_past_the_stream_limit_get_503_over_http_and_Play_Failed_over_rtmp()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"maxViewersPerStream\": 2");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 25, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var one = await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token);
        await using var two = await RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token);

        var http = await Assert.ThrowsAsync<HttpStatusException>(() => HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token));
        var rtmp = await Assert.ThrowsAsync<RtmpStatusException>(() => RtmpViewer.PlayAsync(daemon.RtmpPort, "live", "cam", cts.Token));
        await one.DisposeAsync();
        await Eventually(async () => (await StreamApi.FindAsync(daemon, "cam"))!.Value.GetProperty("viewers").GetProperty("flv").GetInt32() == 0);
        await using var three = await HttpFlvViewer.OpenAsync(daemon.HttpPort, "/live/cam.flv", cts.Token);

        Assert.Equal(503, http.Status);
        Assert.StartsWith("NetStream.Play.Failed", rtmp.Message, StringComparison.Ordinal);
        Assert.Equal(200, three.Head.Status);
    }

    [Fact]
    public async Task A_publisher_past_the_app_limit_gets_BadName()
    {
        await using var daemon = await DaemonProcess.StartAsync(appJson: "\"maxPublishers\": 1");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/one"));
        await StreamApi.WaitForFramesAsync(daemon, "one", minFrames: 10, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(Deadline);
        await using var client = await RtmpClients.ConnectAsync(daemon.RtmpPort, "live", cts.Token);

        var error = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync("two", cts.Token));

        Assert.StartsWith("NetStream.Publish.BadName", error.Message, StringComparison.Ordinal);
        await daemon.WaitForLogAsync(l => l.Contains("already has 1 publishers", StringComparison.Ordinal), Deadline);
    }

    [Fact]
    public async Task Http_requests_past_the_per_ip_rate_get_429_and_the_connection_closes()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: "\"limits\": { \"httpRequestsPerSecondPerIp\": 5 },");
        var burst = string.Concat(Enumerable.Repeat("GET /live/none.flv HTTP/1.1\r\nHost: x\r\n\r\n", 40));

        var response = await RawHttp.ExchangeAsync(daemon.HttpPort, Encoding.ASCII.GetBytes(burst), Deadline);

        var answered = response.Split("HTTP/1.1 ").Skip(1).Select(r => r[..3]).ToList();
        Assert.Equal(10, answered.Count(status => status == "404"));
        Assert.Equal("429", answered[^1]);
        Assert.Equal(11, answered.Count);
        await daemon.WaitForLogAsync(l => l.Contains("more than 5 requests per second", StringComparison.Ordinal), Deadline);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var started = Environment.TickCount64;
        while (!condition())
        {
            if (Environment.TickCount64 - started > 10_000)
            {
                throw new TimeoutException("condition not met within 10 s");
            }
            await Task.Delay(25);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var started = Environment.TickCount64;
        while (!await condition())
        {
            if (Environment.TickCount64 - started > 10_000)
            {
                throw new TimeoutException("condition not met within 10 s");
            }
            await Task.Delay(25);
        }
    }
}
