using System.Buffers;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

/// <summary>Data split across segments, pipelining and partial input.</summary>
public class HttpRequestParserSegmentTests
{
    private const string Sample =
        "GET /live/%E4%BD%A0/index.m3u8?token=t%20k HTTP/1.1\r\nHost: edge:8080\r\nUser-Agent: hls.js\r\nX-Long: " +
        "0123456789abcdef0123456789abcdef\r\nConnection: keep-alive\r\n\r\n";

    private static void AssertSample(RequestParse result)
    {
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(Sample.Length, result.Consumed);
        var request = result.Request;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/live/\u4f60/index.m3u8", request.Path);
        Assert.Equal("token=t%20k", request.Query);
        Assert.Equal("edge:8080", request.Host);
        Assert.True(request.KeepAlive);
        Assert.Equal(
            [new("Host", "edge:8080"), new("User-Agent", "hls.js"), new("X-Long", "0123456789abcdef0123456789abcdef"), new("Connection", "keep-alive")],
            request.Headers);
    }

    [Fact]
    public void OneByteSegments_ParseLikeContiguousData()
    {
        AssertSample(RequestParse.Run(TestSequences.OneBytePerSegment(TestSequences.Ascii(Sample))));
    }

    [Fact]
    public void EverySplitPoint_ParsesLikeContiguousData()
    {
        byte[] data = TestSequences.Ascii(Sample);
        for (int cut = 1; cut < data.Length; cut++)
        {
            AssertSample(RequestParse.Run(TestSequences.Split(data, cut)));
        }
    }

    [Fact]
    public void HeadInFirstSegment_WithBodyInNext_ConsumesOnlyTheHead()
    {
        byte[] head = TestSequences.Ascii(Sample);
        var data = TestSequences.FromPieces([head, TestSequences.Ascii("body bytes")]);
        AssertSample(RequestParse.Run(data));
    }

    [Fact]
    public void EveryProperPrefix_IsIncompleteAndConsumesNothing()
    {
        byte[] data = TestSequences.Ascii(Sample);
        for (int length = 0; length < data.Length; length++)
        {
            var result = RequestParse.Run(data[..length]);
            Assert.Equal(HttpParseStatus.Incomplete, result.Status);
            Assert.Equal(0, result.Consumed);
        }
    }

    [Fact]
    public void PrefixInOneByteSegments_IsIncomplete()
    {
        byte[] data = TestSequences.Ascii(Sample)[..^1];
        var result = RequestParse.Run(TestSequences.OneBytePerSegment(data));

        Assert.Equal(HttpParseStatus.Incomplete, result.Status);
        Assert.Equal(0, result.Consumed);
    }

    [Fact]
    public void Incomplete_LeavesTheRequestUntouched()
    {
        var request = new HttpRequest();
        RequestParse.Run(new ReadOnlySequence<byte>(TestSequences.Ascii("GET /old HTTP/1.1\r\n\r\n")), request: request);
        var result = RequestParse.Run(new ReadOnlySequence<byte>(TestSequences.Ascii("GET /new HTTP/1.1\r\nHost: h\r\n")), request: request);

        Assert.Equal(HttpParseStatus.Incomplete, result.Status);
        Assert.Equal("/old", request.Path);
    }

    [Fact]
    public void TwoPipelinedRequests_AreParsedInTurn()
    {
        const string first = "GET /a.m3u8 HTTP/1.1\r\nHost: h\r\n\r\n";
        const string second = "HEAD /b.ts?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(TestSequences.Ascii(first + second)));
        var request = new HttpRequest();

        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.Equal(first.Length, reader.Consumed);
        Assert.Equal("/a.m3u8", request.Path);
        Assert.True(request.KeepAlive);

        request.Reset();
        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.Equal(first.Length + second.Length, reader.Consumed);
        Assert.Equal("HEAD", request.Method);
        Assert.Equal("/b.ts", request.Path);
        Assert.Equal("x=1", request.Query);
        Assert.False(request.KeepAlive);
        Assert.Equal([new("Host", "h"), new("Connection", "close")], request.Headers);

        Assert.Equal(HttpParseStatus.Incomplete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.True(reader.End);
    }

    [Fact]
    public void PipelinedRequests_SplitAcrossSegments_AreParsedInTurn()
    {
        byte[] data = TestSequences.Ascii("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\n");
        var reader = new SequenceReader<byte>(TestSequences.Split(data, 10, 25, 30, 44));
        var request = new HttpRequest();

        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.Equal("/1", request.Path);
        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.Equal("/2", request.Path);
        Assert.Equal("h", request.Host);
        long before = reader.Consumed;
        Assert.Equal(HttpParseStatus.Incomplete, HttpRequestParser.TryParse(ref reader, request, HttpLimits.Default, out _));
        Assert.Equal(before, reader.Consumed);
    }

    [Fact]
    public void LimitsAreEnforcedAcrossSegments()
    {
        byte[] longLine = TestSequences.Ascii("GET /" + new string('a', 9000));
        var result = RequestParse.Run(TestSequences.Split(longLine, 100, 5000));
        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Equal(414, result.ErrorStatus);

        byte[] bigHeaders = TestSequences.Ascii("GET / HTTP/1.1\r\nX-Big: " + new string('b', 20 * 1024));
        result = RequestParse.Run(TestSequences.Split(bigHeaders, 20, 8000, 16000));
        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Equal(431, result.ErrorStatus);
    }

    [Fact]
    public void ErrorsAreFoundAcrossSegments()
    {
        var result = RequestParse.Run(TestSequences.OneBytePerSegment(TestSequences.Ascii("GET / HTTP/1.1\r\nHost : h\r\n\r\n")));
        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Equal(400, result.ErrorStatus);
    }

    [Fact]
    public void RandomInput_NeverThrows()
    {
        // Hostile bytes, whole and split, must only ever produce a status.
        var random = new Random(12345);
        byte[] alphabet = TestSequences.Ascii("GET / HTTP/1.1\r\n:%2e0aF \t\0\u00ff?#Host");
        var request = new HttpRequest();
        for (int i = 0; i < 3000; i++)
        {
            var data = new byte[random.Next(0, 120)];
            for (int j = 0; j < data.Length; j++)
            {
                data[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }
            var limits = new HttpLimits(random.Next(0, 64), random.Next(0, 64), random.Next(0, 8));
            var whole = RequestParse.Run(new ReadOnlySequence<byte>(data), limits, request);
            var split = RequestParse.Run(TestSequences.Split(data, data.Length / 3, data.Length / 2), limits, request);
            Assert.Equal(whole.Status, split.Status);
            Assert.Equal(whole.ErrorStatus, split.ErrorStatus);
            Assert.Equal(whole.Consumed, split.Consumed);
        }
    }
}
