using System.Globalization;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>Byte ranges of HLS segments through the in-memory HTTP session: 206, 416, what is ignored, HEAD.</summary>
public class HttpHlsRangeTests
{
    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A server with one completed segment, /live/cam/0.ts, and a client connected to it.</summary>
    internal static (TestServer Server, HttpClientSide Client, byte[] Segment) OneSegment(Action<Appliance.Node.Config.ApplianceConfig>? configure = null)
    {
        var server = new TestServer(configure);
        var frames = new Frames();
        var (stream, source) = HttpTsSessionTests.PublishTsLive(server, "cam", frames, untilMs: 1_000);
        var window = stream.RequestHls()!;
        HttpTsSessionTests.PublishMore(stream, source, frames, 1_000, 2_040);
        var segment = Assert.Single(window.Segments).File.Memory.Span.ToArray();
        return (server, new HttpClientSide(server), segment);
    }

    [Fact]
    public async Task AWholeSegmentAdvertisesByteRanges()
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;

        var response = await client.RequestAsync("GET", "/live/cam/0.ts", Eventually.Deadline());

        Assert.Equal(200, response.Status);
        Assert.Equal("bytes", response.Header("Accept-Ranges"));
        Assert.Null(response.Header("Content-Range"));
        Assert.Equal(segment, response.Body);
    }

    [Theory]
    [InlineData("bytes=0-187", 0, 187)]
    [InlineData("bytes=188-", 188, -1)]
    [InlineData("bytes=-376", -376, -1)]
    [InlineData("bytes=1000-1999", 1000, 1999)]
    [InlineData("bytes=5-99999999999", 5, -1)]
    public async Task OneRangeIsPartialContentWithItsBytes(string rangeHeader, long first, long last)
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;
        // Negative numbers count from the end of the segment, whose length the test learns here.
        var from = first < 0 ? segment.Length + first : first;
        var to = last < 0 ? segment.Length - 1 : last;

        var response = await client.RequestAsync("GET", "/live/cam/0.ts", Eventually.Deadline(), $"Range: {rangeHeader}\r\n");

        Assert.Equal(206, response.Status);
        Assert.Equal($"bytes {from}-{to}/{segment.Length}", response.Header("Content-Range"));
        Assert.Equal(Text(to - from + 1), response.Header("Content-Length"));
        Assert.Equal("bytes", response.Header("Accept-Ranges"));
        Assert.Equal("video/mp2t", response.Header("Content-Type"));
        Assert.Contains("immutable", response.Header("Cache-Control"));
        Assert.Equal(segment[(int)from..(int)(to + 1)], response.Body);
    }

    [Theory]
    [InlineData("bytes={0}-")]
    [InlineData("bytes={0}-{1}")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=99999999999999999999999-")]
    public async Task ARangePastTheEndIs416WithTheLengthAndTheConnectionStaysUsable(string template)
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;
        var rangeHeader = string.Format(CultureInfo.InvariantCulture, template, segment.Length, segment.Length + 10);
        var ct = Eventually.Deadline();

        var refused = await client.RequestAsync("GET", "/live/cam/0.ts", ct, $"Range: {rangeHeader}\r\n");
        var next = await client.RequestAsync("GET", "/live/cam/0.ts", ct, "Range: bytes=0-9\r\n");

        Assert.Equal(416, refused.Status);
        Assert.Equal($"bytes */{segment.Length}", refused.Header("Content-Range"));
        Assert.Equal("range not satisfiable\n", refused.BodyText);
        Assert.Equal(206, next.Status);
        Assert.Equal(segment[..10], next.Body);
        Assert.False(client.Run.IsCompleted);
    }

    [Theory]
    [InlineData("Range: bytes=0-9,20-29\r\n")]
    [InlineData("Range: bytes=10-5\r\n")]
    [InlineData("Range: bytes=x-y\r\n")]
    [InlineData("Range: items=0-9\r\n")]
    [InlineData("Range: bytes=0-9\r\nIf-Range: \"abc\"\r\n")]
    [InlineData("Range: bytes=0-9\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n")]
    public async Task ARangeTheServerIgnoresGetsTheWholeSegment(string headers)
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;

        var response = await client.RequestAsync("GET", "/live/cam/0.ts", Eventually.Deadline(), headers);

        Assert.Equal(200, response.Status);
        Assert.Null(response.Header("Content-Range"));
        Assert.Equal(segment, response.Body);
    }

    [Fact]
    public async Task HeadAnswersAsGetWouldWithoutABody()
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;
        var ct = Eventually.Deadline();

        var partial = await client.RequestAsync("HEAD", "/live/cam/0.ts", ct, "Range: bytes=100-199\r\n");
        var refused = await client.RequestAsync("HEAD", "/live/cam/0.ts", ct, $"Range: bytes={segment.Length}-\r\n");
        // Had either HEAD written a body, this response would be read out of those bytes.
        var after = await client.RequestAsync("GET", "/live/cam/0.ts", ct, "Range: bytes=-4\r\n");

        Assert.Equal(206, partial.Status);
        Assert.Equal($"bytes 100-199/{segment.Length}", partial.Header("Content-Range"));
        Assert.Equal("100", partial.Header("Content-Length"));
        Assert.Equal(416, refused.Status);
        Assert.Equal($"bytes */{segment.Length}", refused.Header("Content-Range"));
        Assert.Equal(206, after.Status);
        Assert.Equal(segment[^4..], after.Body);
    }

    [Fact]
    public async Task EveryAnswerReleasesItsPinOnTheSegment()
    {
        var (server, client, segment) = OneSegment();
        using var _ = server;
        var stored = server.Streams.Streams.Single().HlsWindow!.Segments.Single();
        var ct = Eventually.Deadline();

        await client.RequestAsync("GET", "/live/cam/0.ts", ct, "Range: bytes=0-9\r\n");
        await client.RequestAsync("GET", "/live/cam/0.ts", ct, $"Range: bytes={segment.Length}-\r\n");
        await client.RequestAsync("HEAD", "/live/cam/0.ts", ct, "Range: bytes=0-9\r\n");
        await client.RequestAsync("GET", "/live/cam/0.ts", ct, "Range: bytes=0-9,20-29\r\n");

        await Eventually.WaitAsync(() => stored.File.RefCount == 1, "the segment to be held by its window alone");
    }
}
