using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Each malformed or abusive connection is closed with one log line naming the reason, while the
/// publisher and a viewer of a live stream on the same daemon go on unharmed.
/// </summary>
public sealed class HostileInputTests : IClassFixture<HostileInputTests.Fixture>
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    private readonly Fixture _fx;

    public HostileInputTests(Fixture fixture) => _fx = fixture;

    private DaemonProcess Daemon => _fx.Live.Daemon;

    public sealed class Fixture : IAsyncLifetime
    {
        public LiveWithViewer Live { get; } = new(deadlines: "\"handshakeMs\": 1000, \"requestHeaderMs\": 1000, \"sendStallMs\": 1500, \"idleMs\": 2000");

        public Task InitializeAsync() => Live.InitializeAsync();

        public Task DisposeAsync() => Live.DisposeAsync();
    }

    [Theory]
    [InlineData(9, "Unsupported RTMP version 9")]
    [InlineData(6, "Encrypted RTMP")]
    public async Task A_bad_handshake_version_is_closed_with_the_reason_logged(byte version, string reason)
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);
        var hello = new byte[1537];
        hello[0] = version;

        await raw.SendAsync(hello, default);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout), "the server kept the connection open");
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{raw.LocalPort}: {reason}", StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task A_truncated_handshake_ends_that_connection_only()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);
        await raw.SendAsync([3, .. new byte[100]], default);
        raw.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout));
        await Daemon.WaitForLogAsync(l => l.Contains($"client=127.0.0.1:{raw.LocalPort}", StringComparison.Ordinal) && l.Contains("closed during handshake", StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task A_client_that_connects_and_sends_nothing_is_closed_at_the_handshake_deadline()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout), "a silent client was never closed");
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{raw.LocalPort}: handshake not completed in time", StringComparison.Ordinal), CloseTimeout);
    }

    [Fact]
    public async Task A_chunk_announcing_a_message_over_the_limit_is_refused_before_it_is_allocated()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);
        await raw.HandshakeAsync(default);
        // fmt 0, chunk stream 3, timestamp 0, length 0xFFFFFF (16 MiB - 1; the limit is 8 MiB), type 9, stream 1.
        await raw.SendAsync([0x03, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0], default);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout));
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{raw.LocalPort}: Message of 16777215 bytes", StringComparison.Ordinal) && l.Contains("exceeds the limit", StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task An_unknown_message_type_closes_the_connection()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);
        await raw.HandshakeAsync(default);

        await raw.SendMessageAsync(3, 99, 0, [1, 2, 3, 4], default);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout));
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{raw.LocalPort}: unknown message type 99", StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task Garbage_amf0_in_a_command_closes_the_connection()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.RtmpPort);
        await raw.HandshakeAsync(default);

        await raw.SendMessageAsync(3, RtmpMessageType.CommandAmf0, 0, [0x02, 0xFF, 0xFF, (byte)'c', 0x42, 0x13], default);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout));
        await Daemon.WaitForLogAsync(l => l.Contains($"closing rtmp connection from 127.0.0.1:{raw.LocalPort}", StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("x?token=1")]
    [InlineData("a/b")]
    [InlineData("LONG")]
    public async Task A_publish_with_a_bad_stream_name_is_refused_with_BadName(string name)
    {
        if (name == "LONG")
        {
            name = new string('n', 300);
        }
        using var cts = new CancellationTokenSource(CloseTimeout);
        await using var client = await RtmpClients.ConnectAsync(Daemon.RtmpPort, "live", cts.Token);
        if (name == "x?token=1")
        {
            // Only the query: the name part is empty.
            name = "?token=1";
        }

        var error = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync(name, cts.Token));

        Assert.StartsWith("NetStream.Publish.BadName", error.Message, StringComparison.Ordinal);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Theory]
    [InlineData("garbage", "\x01\x02 not http\r\n\r\n", "HTTP/1.1 400")]
    [InlineData("long-line", "", "HTTP/1.1 414")]
    [InlineData("big-headers", "", "HTTP/1.1 431")]
    [InlineData("bad-version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505")]
    public async Task A_bad_http_request_gets_its_status_and_the_connection_closes(string kind, string request, string expected)
    {
        request = kind switch
        {
            "long-line" => $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n",
            "big-headers" => "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Filler-{i}: {new string('v', 500)}\r\n")) + "\r\n",
            _ => request,
        };

        var response = await RawHttp.ExchangeAsync(Daemon.HttpPort, Encoding.ASCII.GetBytes(request), CloseTimeout);

        Assert.StartsWith(expected, response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
        await Daemon.WaitForLogAsync(l => l.Contains("closing http connection", StringComparison.Ordinal) && l.Contains(expected[9..], StringComparison.Ordinal), CloseTimeout);
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task An_http_client_that_never_finishes_its_request_head_is_closed_at_the_deadline()
    {
        await using var raw = await RawRtmp.ConnectAsync(Daemon.HttpPort);
        await raw.SendAsync("GET /live/cam.flv HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), default);

        Assert.True(await raw.WaitForCloseAsync(CloseTimeout), "a slowloris request was never closed");
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{raw.LocalPort}: request head not received in time", StringComparison.Ordinal), CloseTimeout);
    }

    [Fact]
    public async Task A_viewer_that_stops_reading_is_closed_at_the_send_stall_deadline()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var flood = await FloodPublisher.StartAsync(Daemon.RtmpPort, "flood", cts.Token);
        using var tcp = new System.Net.Sockets.TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync("127.0.0.1", Daemon.HttpPort, cts.Token);
        var port = ((System.Net.IPEndPoint)tcp.Client.LocalEndPoint!).Port;
        await tcp.GetStream().WriteAsync("GET /live/flood.flv HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), cts.Token);

        // Never read: the kernel buffers fill, the server's write stops making progress.
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{port}: send stalled", StringComparison.Ordinal), TimeSpan.FromSeconds(40));
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task A_client_that_pipelines_requests_but_never_reads_replies_is_closed_with_its_queue_bounded()
    {
        using var tcp = new System.Net.Sockets.TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync("127.0.0.1", Daemon.HttpPort);
        var port = ((System.Net.IPEndPoint)tcp.Client.LocalEndPoint!).Port;
        var burst = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n", 1000)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var sending = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 100 && !cts.IsCancellationRequested; i++)
                {
                    await tcp.GetStream().WriteAsync(burst, cts.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The server closed the connection: that is the point.
            }
        });

        // Replies are written by the read loop, which reads the next request only once the last
        // reply is out: such a client is held back by its own socket (nothing queues in the node)
        // and closed when a reply makes no progress for sendStallMs. A reply queued behind a
        // busy writer still meets the queue's bound instead. Either way it is closed, with the reason.
        await Daemon.WaitForLogAsync(l => l.Contains($"127.0.0.1:{port}: ", StringComparison.Ordinal)
            && (l.Contains("peer does not read its replies", StringComparison.Ordinal) || l.Contains("send stalled", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await sending;
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Fact]
    public async Task A_publisher_that_goes_silent_is_closed_at_the_idle_deadline()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var publisher = await RtmpClients.ConnectAsync(Daemon.RtmpPort, "live", cts.Token);
        await publisher.PublishAsync("silent", cts.Token);

        await Daemon.WaitForLogAsync(l => l.Contains("publish stop default/live/silent", StringComparison.Ordinal) && l.Contains("idle: nothing received for 2000 ms", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await _fx.Live.AssertStillFlowingAsync();
    }

    [Theory]
    [InlineData("/live/{0}.flv")]
    [InlineData("/live/{0}.m3u8")]
    [InlineData("/live/{0}/1.ts")]
    public async Task An_over_long_stream_name_over_http_is_a_plain_404_and_the_connection_stays_usable(string template)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('n', 300));
        var requests = $"GET {path} HTTP/1.1\r\nHost: x\r\n\r\nGET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

        var response = await RawHttp.ExchangeAsync(Daemon.HttpPort, Encoding.ASCII.GetBytes(requests), CloseTimeout);

        Assert.StartsWith("HTTP/1.1 404", response, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200", response, StringComparison.Ordinal);
        await _fx.Live.AssertStillFlowingAsync();
    }
}
