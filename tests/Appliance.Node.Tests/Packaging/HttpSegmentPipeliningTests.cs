using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>
/// Segment requests that arrive together (pipelined) or one after another on a keep-alive
/// connection: each answered whole and in order, whether the session writes the replies itself
/// or leaves them to the connection's send loop.
/// </summary>
public class HttpSegmentPipeliningTests
{
    [Fact]
    public async Task PipelinedGetHeadRangeAndMissAreAnsweredInOrder()
    {
        var (server, client, segment) = HttpHlsRangeTests.OneSegment();
        using var _ = server;
        var ct = Eventually.Deadline();

        await client.Connection.SendAsync(
            "GET /live/cam/0.ts HTTP/1.1\r\nHost: x\r\n\r\n" +
            "HEAD /live/cam/0.ts HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /live/cam/0.ts HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n" +
            "GET /live/cam/9.ts HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /live/cam/0.ts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var whole = await client.Reader.ReadResponseAsync(ct);
        var head = await client.Reader.ReadResponseAsync(ct, headOnly: true);
        var range = await client.Reader.ReadResponseAsync(ct);
        var missing = await client.Reader.ReadResponseAsync(ct);
        var last = await client.Reader.ReadResponseAsync(ct);

        Assert.Equal([200, 200, 206, 404, 200], new[] { whole.Status, head.Status, range.Status, missing.Status, last.Status });
        Assert.Equal(segment, whole.Body);
        Assert.Equal(segment.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Empty(head.Body);
        Assert.Equal(segment[10..20], range.Body);
        Assert.Equal(segment, last.Body);
        Assert.Equal("close", last.Header("Connection"));
        Assert.Empty(await client.ExpectClosedAsync(ct));
    }

    [Fact]
    public async Task ManyPipelinedSegmentRequestsAreAllAnsweredWholeAndInOrder()
    {
        var (server, client, segment) = HttpHlsRangeTests.OneSegment();
        using var _ = server;
        var ct = Eventually.Deadline();
        // More than the session answers before it gives other connections a turn.
        const int Requests = 100;

        var batch = string.Concat(Enumerable.Range(0, Requests).Select(i =>
            $"GET /live/cam/0.ts HTTP/1.1\r\nHost: x\r\nRange: bytes={i}-{i + 99}\r\n\r\n"));
        await client.Connection.SendAsync(batch);
        for (var i = 0; i < Requests; i++)
        {
            var response = await client.Reader.ReadResponseAsync(ct);
            Assert.Equal(206, response.Status);
            Assert.Equal(segment[i..(i + 100)], response.Body);
        }

        Assert.False(client.Run.IsCompleted);
        client.Connection.CloseInput();
        await client.Run.WaitAsync(Eventually.Timeout);
        var stored = server.Streams.Streams.Single().HlsWindow!.Segments.Single();
        await Eventually.WaitAsync(() => stored.File.RefCount == 1, "every response to release its pin on the segment");
    }
}
