using Appliance.Relay.Urls;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Relay;
using Appliance.Relay.Pull;
using Appliance.Relay.Routing;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Tests.Support;

namespace Appliance.Relay.Tests;

/// <summary>The HTTP-FLV pull client against a loopback server answering with a scripted response.</summary>
public sealed class HttpFlvUpstreamFeedTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 7)]
    public async Task Tags_come_back_in_order_from_a_close_delimited_or_chunked_body(bool chunked, int chunkBytes)
    {
        var body = FlvBody(3);
        var head = "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n") + "\r\n";
        await using var server = ScriptedServer.Start(Encoding.ASCII.GetBytes(head).Concat(chunked ? Chunk(body, chunkBytes) : body).ToArray());

        await using var feed = await OpenAsync(server.Port);
        var tags = new List<(byte, uint, int)>();
        while (await feed.ReadAsync(Eventually.Deadline()) is { } message)
        {
            tags.Add((message.TypeId, message.Timestamp, message.Payload.Length));
            message.Payload.Release();
        }

        Assert.Equal([(9, 0u, 10), (8, 40u, 11), (9, 80u, 12)], tags);
        Assert.StartsWith("GET /live/cam.flv?appliance_via=edge HTTP/1.1\r\nHost: 127.0.0.1:", server.Request, StringComparison.Ordinal);
        Assert.True(feed.BytesReceived >= body.Length);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "upstream answered HTTP 404", true)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", "upstream answered HTTP 503", false)]
    [InlineData("garbage\r\n\r\n", "malformed HTTP response head", false)]
    [InlineData("HTTP/1.1 200 OK\r\n", "closed before a full HTTP response head", false)]
    public async Task A_refusal_or_a_broken_head_fails_the_open_with_the_reason(string response, string reason, bool streamMissing)
    {
        await using var server = ScriptedServer.Start(Encoding.ASCII.GetBytes(response));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => OpenAsync(server.Port));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        // Only "no such stream" leaves the path's health alone.
        Assert.Equal(streamMissing, error.StreamMissing);
    }

    [Theory]
    [InlineData(false, "XYZ\u0001\u0005\0\0\0\u0009\0\0\0\0", "bad FLV from upstream")]
    [InlineData(true, "zz\r\nabc", "bad chunked body from upstream")]
    public async Task A_bad_body_fails_the_read_with_the_reason(bool chunked, string body, string reason)
    {
        var head = "HTTP/1.1 200 OK\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : "") + "\r\n";
        await using var server = ScriptedServer.Start(Encoding.Latin1.GetBytes(head + body));
        await using var feed = await OpenAsync(server.Port);

        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await feed.ReadAsync(Eventually.Deadline()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("Appliance-Media-Time-Ms: 4294969296\r\n", 4294969296L, null)]
    [InlineData("Appliance-Media-Time-Ms: -5\r\n", null, "Appliance-Media-Time-Ms \"-5\" is not a decimal number")]
    [InlineData("Appliance-Media-Time-Ms: 12abc\r\n", null, "Appliance-Media-Time-Ms \"12abc\" is not a decimal number")]
    public async Task The_parents_media_time_is_read_from_the_head_and_a_bad_one_is_refused_with_the_reason(string header, long? mediaTimeMs, string? problem)
    {
        var head = "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n" + header + "Connection: close\r\n\r\n";
        await using var server = ScriptedServer.Start(Encoding.ASCII.GetBytes(head).Concat(FlvBody(1)).ToArray());

        await using var feed = await OpenAsync(server.Port);

        Assert.Equal(mediaTimeMs, feed.MediaTimeMs);
        if (problem is null)
        {
            Assert.Null(feed.MediaTimeProblem);
        }
        else
        {
            Assert.StartsWith(problem, feed.MediaTimeProblem, StringComparison.Ordinal);
        }
        // The feed reads on either way.
        var tag = await feed.ReadAsync(Eventually.Deadline());
        Assert.NotNull(tag);
        tag.Value.Payload.Release();
    }

    [Fact]
    public async Task The_request_and_the_whole_response_count_as_upstream_traffic_while_open_and_once_closed()
    {
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\n").Concat(FlvBody(3)).ToArray();
        await using var server = ScriptedServer.Start(response);
        var traffic = new TrafficTotals();
        var upstream = TrafficTotals.IndexOf(TrafficTotals.Upstream);

        var feed = await OpenAsync(server.Port, traffic);
        (await feed.ReadAsync(Eventually.Deadline()))!.Value.Payload.Release();
        var open = traffic.Snapshot([]);
        var openConnections = traffic.OpenOutbound;
        while (await feed.ReadAsync(Eventually.Deadline()) is { } message)
        {
            message.Payload.Release();
        }
        await feed.DisposeAsync();
        var closed = traffic.Snapshot([]);

        Assert.Equal(1, openConnections);
        Assert.InRange(open.In[upstream], 60, response.Length);
        Assert.Equal(response.Length, closed.In[upstream]);
        Assert.Equal(server.Request.Length, closed.Out[upstream]);
        Assert.Equal(0, traffic.OpenOutbound);
    }

    [Fact]
    public async Task A_refused_open_still_counts_its_bytes_and_leaves_no_connection_open()
    {
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        await using var server = ScriptedServer.Start(response);
        var traffic = new TrafficTotals();
        var upstream = TrafficTotals.IndexOf(TrafficTotals.Upstream);

        await Assert.ThrowsAsync<UpstreamException>(() => OpenAsync(server.Port, traffic));

        var counted = traffic.Snapshot([]);
        Assert.Equal(response.Length, counted.In[upstream]);
        Assert.Equal(server.Request.Length, counted.Out[upstream]);
        Assert.Equal(0, traffic.OpenOutbound);
    }

    private static Task<UpstreamFeed> OpenAsync(int port, TrafficTotals? traffic = null)
    {
        Assert.True(UpstreamUrl.TryParse($"http://127.0.0.1:{port}/{{app}}/{{stream}}.flv", out var url, out var error), error);
        return HttpFlvUpstreamFeed.OpenAsync(new RouteCandidate(url), "live", "cam", "appliance_via=edge", traffic ?? new TrafficTotals(),
            TcpConnector.Default, Appliance.Transport.Tls.TlsClientTrust.SystemStore, 5000, Eventually.Deadline());
    }

    private static byte[] FlvBody(int tags)
    {
        var body = new byte[FlvWriter.FileHeaderLength + tags * FlvWriter.TagLength(12)];
        FlvWriter.WriteFileHeader(body, hasAudio: true, hasVideo: true);
        var at = FlvWriter.FileHeaderLength;
        for (var i = 0; i < tags; i++)
        {
            at += FlvWriter.WriteTag(body.AsSpan(at), i % 2 == 0 ? FlvTagType.Video : FlvTagType.Audio, (uint)(i * 40), new byte[10 + i]);
        }
        return body[..at];
    }

    private static byte[] Chunk(byte[] body, int size)
    {
        var chunked = new List<byte>();
        for (var at = 0; at < body.Length; at += size)
        {
            var piece = body.AsSpan(at, Math.Min(size, body.Length - at));
            chunked.AddRange(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            chunked.AddRange(piece.ToArray());
            chunked.AddRange("\r\n"u8.ToArray());
        }
        chunked.AddRange("0\r\n\r\n"u8.ToArray());
        return [.. chunked];
    }

    /// <summary>Accepts one connection, reads the request head, writes the scripted bytes, and closes.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private Task _serving = Task.CompletedTask;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Request { get; private set; } = "";

        public static ScriptedServer Start(byte[] response)
        {
            var server = new ScriptedServer();
            server._listener.Start();
            server._serving = server.ServeAsync(response);
            return server;
        }

        private async Task ServeAsync(byte[] response)
        {
            using var client = await _listener.AcceptTcpClientAsync(Eventually.Deadline());
            var stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, Eventually.Deadline()) == 1)
            {
                head.Append((char)one[0]);
            }
            Request = head.ToString();
            await stream.WriteAsync(response, Eventually.Deadline());
        }

        public async ValueTask DisposeAsync()
        {
            await _serving;
            _listener.Stop();
        }
    }
}
