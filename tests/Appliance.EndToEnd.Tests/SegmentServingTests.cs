using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Segments over real sockets, as the daemon sends them (the head, then sendfile, from the read
/// loop when the connection's writer is idle): a client that stops reading holds up only itself
/// and later gets every reply whole and in order; one that leaves in the middle of a segment ends
/// its own connection and nothing else.
/// </summary>
public sealed class SegmentServingTests(AgedLivePublisherFixture live) : IClassFixture<AgedLivePublisherFixture>
{
    // More replies than a small receive window and the server's send buffer hold, so the daemon's
    // writes to this client block with replies still queued behind them.
    private const int Pipelined = 24;

    private DaemonProcess Daemon => live.Daemon;

    [Fact]
    public async Task A_client_that_does_not_read_does_not_hold_up_another_and_later_gets_every_reply_in_order()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (path, whole) = await CompletedSegmentAsync(cts.Token);
        using var slow = await PipelineAsync(path, cts.Token);

        // Meanwhile another connection's requests are each answered whole.
        await using (var fast = await HttpConnection.OpenAsync(Daemon.HttpPort, cts.Token))
        {
            for (var i = 0; i < 10; i++)
            {
                var reply = await fast.SendAsync(path, cts.Token);
                Assert.Equal(200, reply.Status);
                Assert.Equal(whole, reply.Body);
            }
        }

        // The slow client reads at last: every reply is there, whole, in the order asked.
        var input = PipeReader.Create(new NetworkStream(slow));
        for (var i = 0; i < Pipelined; i++)
        {
            var head = await RawHttp.ReadHeadAsync(input, cts.Token);
            Assert.Equal(200, head.Status);
            Assert.Equal(whole, await ReadBodyAsync(input, head.ContentLength!.Value, cts.Token));
        }
        await input.CompleteAsync();
    }

    [Fact]
    public async Task A_client_that_leaves_in_the_middle_of_a_segment_ends_only_its_own_connection()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (path, whole) = await CompletedSegmentAsync(cts.Token);
        using var slow = await PipelineAsync(path, cts.Token);
        var port = ((IPEndPoint)slow.LocalEndPoint!).Port;
        var part = new byte[10_000];
        var got = 0;
        while (got < part.Length)
        {
            got += await slow.ReceiveAsync(part.AsMemory(got), cts.Token);
        }
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(part, 0, 12), StringComparison.Ordinal);

        // Gone with bytes unread: a reset, so the daemon's next write (a sendfile under way) fails.
        slow.LingerState = new LingerOption(true, 0);
        slow.Dispose();

        var line = await Daemon.WaitForLogAsync(l => l.Contains($"access proto=http client=127.0.0.1:{port} ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("status=200", line, StringComparison.Ordinal);
        var after = await Hls.GetAsync(Daemon, path, cts.Token);
        Assert.Equal(200, after.Status);
        Assert.Equal(whole, after.Body);
    }

    /// <summary>The playlist's last complete segment and its bytes.</summary>
    private async Task<(string Path, byte[] Bytes)> CompletedSegmentAsync(CancellationToken ct)
    {
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, "/live/cam.m3u8", p => p.Entries.Count >= 2, TimeSpan.FromSeconds(30), "two segments");
        var path = "/live/" + playlist.Entries[^2].Uri;
        var whole = await Hls.GetAsync(Daemon, path, ct);
        Assert.Equal(200, whole.Status);
        return (path, whole.Body);
    }

    /// <summary>A connection with a small receive buffer that sends <see cref="Pipelined"/> requests for the segment at once.</summary>
    private async Task<Socket> PipelineAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, Daemon.HttpPort, ct);
        var requests = string.Concat(Enumerable.Repeat($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: e2e\r\n\r\n", Pipelined));
        await socket.SendAsync(Encoding.ASCII.GetBytes(requests), ct);
        return socket;
    }

    private static async Task<byte[]> ReadBodyAsync(PipeReader input, long length, CancellationToken ct)
    {
        var body = new byte[length];
        var read = 0L;
        while (read < length)
        {
            var result = await input.ReadAsync(ct);
            var take = Math.Min(result.Buffer.Length, length - read);
            result.Buffer.Slice(0, take).CopyTo(body.AsSpan((int)read));
            read += take;
            input.AdvanceTo(result.Buffer.GetPosition(take));
            if (read < length && result.IsCompleted)
            {
                throw new IOException($"the connection closed after {read} of {length} body bytes");
            }
        }
        return body;
    }
}
