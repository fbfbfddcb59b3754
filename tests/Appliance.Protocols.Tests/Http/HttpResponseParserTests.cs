using System.Buffers;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class HttpResponseParserTests
{
    private const string FlvHead =
        "HTTP/1.1 200 OK\r\nServer: appliance\r\nContent-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";

    private static (HttpParseStatus Status, HttpResponseHead? Head, long Consumed) Parse(ReadOnlySequence<byte> data, int maxHeadBytes = 16384)
    {
        var reader = new SequenceReader<byte>(data);
        var status = HttpResponseParser.TryParse(ref reader, out var head, maxHeadBytes);
        return (status, head, reader.Consumed);
    }

    private static (HttpParseStatus Status, HttpResponseHead? Head, long Consumed) Parse(string text, int maxHeadBytes = 16384) =>
        Parse(new ReadOnlySequence<byte>(TestSequences.Ascii(text)), maxHeadBytes);

    private static void AssertFlvHead((HttpParseStatus Status, HttpResponseHead? Head, long Consumed) result)
    {
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(FlvHead.Length, result.Consumed);
        var head = result.Head!;
        Assert.Equal(200, head.Status);
        Assert.Equal("OK", head.Reason);
        Assert.Equal(1, head.VersionMinor);
        Assert.True(head.IsChunked);
        Assert.Null(head.ContentLength);
        Assert.Equal("video/x-flv", head.GetHeader("content-type"));
        Assert.Equal(4, head.Headers.Count);
    }

    [Fact]
    public void ChunkedHead_IsParsedAndBodyLeftUnread()
    {
        AssertFlvHead(Parse(FlvHead + "9\r\nFLV..."));
    }

    [Fact]
    public void OneByteSegments_ParseLikeContiguousData()
    {
        AssertFlvHead(Parse(TestSequences.OneBytePerSegment(TestSequences.Ascii(FlvHead + "5\r\n"))));
    }

    [Fact]
    public void EverySplitPoint_ParsesLikeContiguousData()
    {
        byte[] data = TestSequences.Ascii(FlvHead);
        for (int cut = 1; cut < data.Length; cut++)
        {
            AssertFlvHead(Parse(TestSequences.Split(data, cut)));
        }
    }

    [Fact]
    public void EveryProperPrefix_IsIncomplete()
    {
        for (int length = 0; length < FlvHead.Length; length++)
        {
            var result = Parse(FlvHead[..length]);
            Assert.Equal(HttpParseStatus.Incomplete, result.Status);
            Assert.Null(result.Head);
            Assert.Equal(0, result.Consumed);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 204\r\n\r\n", 204, "")]
    [InlineData("HTTP/1.0 404 Not  Found \r\nContent-Length: 10\r\n\r\n", 404, "Not  Found ")]
    [InlineData("HTTP/1.1 200 \r\nContent-Length: 5, 5\r\n\r\n", 200, "")]
    public void StatusLineVariants_AreAccepted(string text, int status, string reason)
    {
        var result = Parse(text);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(status, result.Head!.Status);
        Assert.Equal(reason, result.Head.Reason);
    }

    [Fact]
    public void ContentLength_IsParsed()
    {
        var result = Parse("HTTP/1.0 200 OK\r\nContent-Length: 1024\r\n\r\n");

        Assert.Equal(1024, result.Head!.ContentLength);
        Assert.False(result.Head.IsChunked);
        Assert.Equal(0, result.Head.VersionMinor);
    }

    [Fact]
    public void ChunkedOverridesContentLength()
    {
        var result = Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");

        Assert.True(result.Head!.IsChunked);
        Assert.Null(result.Head.ContentLength);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")]
    public void MalformedHead_IsError(string text)
    {
        var result = Parse(text);

        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Null(result.Head);
        Assert.Equal(0, result.Consumed);
    }

    [Fact]
    public void HeadOverLimit_IsError_EvenBeforeItEnds()
    {
        string big = "HTTP/1.1 200 OK\r\nX-Big: " + new string('b', 200);
        Assert.Equal(HttpParseStatus.Error, Parse(big, maxHeadBytes: 100).Status);
        Assert.Equal(HttpParseStatus.Error, Parse(big + "\r\n\r\n", maxHeadBytes: 100).Status);
        Assert.Equal(HttpParseStatus.Error, Parse(new string('H', 200), maxHeadBytes: 100).Status);
        Assert.Equal(HttpParseStatus.Complete, Parse(big + "\r\n\r\n", maxHeadBytes: big.Length + 4).Status);
        Assert.Equal(HttpParseStatus.Error, Parse(big + "\r\n\r\n", maxHeadBytes: big.Length + 3).Status);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", 200)]
    [InlineData("HTTP/1.0 503 ", 503)]
    [InlineData("HTTP/1.1 404", 404)]
    public void AStatusLineAloneGivesItsCode(string line, int status)
    {
        Assert.True(HttpResponseParser.TryParseStatusLine(TestSequences.Ascii(line), out int parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 099 Low")]
    [InlineData("HTTP/1.1 2x0 OK")]
    [InlineData("HTTP/1.x 200 OK")]
    [InlineData("http/1.1 200 OK")]
    [InlineData("ICY 200 OK")]
    [InlineData("HTTP/1.1 200 O\u0001K")]
    public void AMalformedStatusLineAloneIsRefused(string line)
    {
        Assert.False(HttpResponseParser.TryParseStatusLine(TestSequences.Ascii(line), out _));
    }
}
