using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class HttpRequestParserTests
{
    [Fact]
    public void GetWithQuery_ParsesEveryField()
    {
        const string text = "GET /live/stream.m3u8?token=abc&x=1 HTTP/1.1\r\nHost: edge.example.com:8080\r\nUser-Agent:  test/1.0 \r\nAccept: */*\r\n\r\n";
        var result = RequestParse.Run(text);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(0, result.ErrorStatus);
        Assert.Equal(text.Length, result.Consumed);
        var request = result.Request;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/live/stream.m3u8?token=abc&x=1", request.RawTarget);
        Assert.Equal("/live/stream.m3u8", request.Path);
        Assert.Equal("token=abc&x=1", request.Query);
        Assert.Equal(1, request.VersionMinor);
        Assert.Equal("edge.example.com:8080", request.Host);
        Assert.True(request.KeepAlive);
        Assert.Null(request.ContentLength);
        Assert.False(request.IsChunked);
        Assert.False(request.IsAbsoluteForm);
        Assert.Equal(
            [new("Host", "edge.example.com:8080"), new("User-Agent", "test/1.0"), new("Accept", "*/*")],
            request.Headers);
    }

    [Fact]
    public void Head_WithConnectionClose_IsNotKeepAlive()
    {
        var result = RequestParse.Run("HEAD /live/a.flv HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal("HEAD", result.Request.Method);
        Assert.Equal("/live/a.flv", result.Request.Path);
        Assert.Null(result.Request.Query);
        Assert.False(result.Request.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.0", null, false)]
    [InlineData("HTTP/1.0", "keep-alive", true)]
    [InlineData("HTTP/1.0", "Keep-Alive", true)]
    [InlineData("HTTP/1.0", "close", false)]
    [InlineData("HTTP/1.0", "keep-alive, close", false)]
    [InlineData("HTTP/1.1", null, true)]
    [InlineData("HTTP/1.1", "keep-alive", true)]
    [InlineData("HTTP/1.1", "Close", false)]
    [InlineData("HTTP/1.1", "upgrade ,  close", false)]
    [InlineData("HTTP/1.1", "closed", true)]
    public void KeepAlive_FollowsVersionAndConnection(string version, string? connection, bool expected)
    {
        string text = $"GET / {version}\r\n" + (connection is null ? "" : $"Connection: {connection}\r\n") + "\r\n";
        var result = RequestParse.Run(text);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(version == "HTTP/1.0" ? 0 : 1, result.Request.VersionMinor);
        Assert.Equal(expected, result.Request.KeepAlive);
    }

    [Fact]
    public void KeepAlive_CombinesRepeatedConnectionHeaders()
    {
        var result = RequestParse.Run("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n");
        Assert.False(result.Request.KeepAlive);
    }

    [Fact]
    public void MissingHostOnHttp11_IsAccepted()
    {
        var result = RequestParse.Run("GET / HTTP/1.1\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Null(result.Request.Host);
        Assert.Empty(result.Request.Headers);
    }

    [Fact]
    public void EmptyHost_IsAccepted()
    {
        var result = RequestParse.Run("GET / HTTP/1.1\r\nHost:\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal("", result.Request.Host);
    }

    [Fact]
    public void AbsoluteForm_TakesPathAndHostFromTarget()
    {
        var result = RequestParse.Run("GET http://Example.com:8080/live/a.m3u8?t=1#frag HTTP/1.1\r\nHost: other.example\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        var request = result.Request;
        Assert.Equal("http://Example.com:8080/live/a.m3u8?t=1#frag", request.RawTarget);
        Assert.Equal("Example.com:8080", request.Host);
        Assert.Equal("/live/a.m3u8", request.Path);
        Assert.Equal("t=1", request.Query);
        Assert.True(request.IsAbsoluteForm);
        Assert.Equal("other.example", request.GetHeader("host"));
    }

    [Theory]
    [InlineData("http://host", "/", null)]
    [InlineData("HTTPS://host?x=1", "/", "x=1")]
    [InlineData("http://[::1]:8080/a%20b", "/a b", null)]
    public void AbsoluteForm_WithoutPath_AddressesRoot(string target, string path, string? query)
    {
        var result = RequestParse.Run($"GET {target} HTTP/1.1\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(path, result.Request.Path);
        Assert.Equal(query, result.Request.Query);
    }

    [Theory]
    [InlineData("/live/%E4%BD%A0.flv", "/live/\u4f60.flv")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/a+b", "/a+b")]
    [InlineData("/a%2Fb", "/a%2Fb")]
    [InlineData("/a%2fb", "/a%2fb")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/%2e%2e/etc/passwd", "/etc/passwd")]
    [InlineData("/a/..", "/")]
    [InlineData("/..", "/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/a/b/../../../c", "/c")]
    [InlineData("/a//b/", "/a//b/")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    [InlineData("/a/..b/c", "/a/..b/c")]
    public void Path_IsDecodedAndNormalised(string target, string expected)
    {
        var result = RequestParse.Run($"GET {target} HTTP/1.1\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(expected, result.Request.Path);
        Assert.Equal(target, result.Request.RawTarget);
    }

    [Fact]
    public void Query_IsRawAndFragmentIsDropped()
    {
        var result = RequestParse.Run("GET /p%20q?a=%20b+c&d#frag?x HTTP/1.1\r\n\r\n");

        Assert.Equal("/p q", result.Request.Path);
        Assert.Equal("a=%20b+c&d", result.Request.Query);
    }

    [Fact]
    public void EmptyQuery_IsEmptyNotNull()
    {
        Assert.Equal("", RequestParse.Run("GET /a? HTTP/1.1\r\n\r\n").Request.Query);
    }

    [Fact]
    public void PlainPath_SharesTheRawTargetString()
    {
        // The common playlist request should allocate one string for its target, not two.
        var request = RequestParse.Run("GET /live/a.m3u8 HTTP/1.1\r\n\r\n").Request;
        Assert.Same(request.RawTarget, request.Path);
    }

    [Fact]
    public void HeaderValues_AreTrimmedAndKeptByteForByte()
    {
        var data = TestSequences.Ascii("GET / HTTP/1.1\r\nX-Empty:\r\nX-Tabs:\t a b \t\r\nX-Latin: caf\u00e9\r\n\r\n");
        var request = RequestParse.Run(data).Request;

        Assert.Equal("", request.GetHeader("x-empty"));
        Assert.Equal("a b", request.GetHeader("X-TABS"));
        Assert.Equal("caf\u00e9", request.GetHeader("X-Latin"));
        Assert.Null(request.GetHeader("X-Missing"));
    }

    [Fact]
    public void GetHeader_ReturnsFirstMatch()
    {
        var request = RequestParse.Run("GET / HTTP/1.1\r\nx-a: 1\r\nX-A: 2\r\n\r\n").Request;

        Assert.Equal("1", request.GetHeader("X-A"));
        Assert.Equal(2, request.Headers.Count);
    }

    [Theory]
    [InlineData("Content-Length: 42\r\n", 42L)]
    [InlineData("Content-Length: 0\r\n", 0L)]
    [InlineData("content-length:007\r\n", 7L)]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n", 5L)]
    [InlineData("Content-Length: 7, 7\r\n", 7L)]
    [InlineData("Content-Length: 999999999999999999\r\n", 999999999999999999L)]
    public void ContentLength_IsParsed(string headers, long expected)
    {
        var result = RequestParse.Run($"POST /x HTTP/1.1\r\n{headers}\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(expected, result.Request.ContentLength);
        Assert.False(result.Request.IsChunked);
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData("gzip, chunked")]
    public void TransferEncoding_ChunkedLast_IsChunked(string value)
    {
        var result = RequestParse.Run($"POST /x HTTP/1.1\r\nTransfer-Encoding: {value}\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.True(result.Request.IsChunked);
        Assert.Null(result.Request.ContentLength);
    }

    [Fact]
    public void TransferEncoding_AcrossTwoHeaders_IsChunked()
    {
        var result = RequestParse.Run("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.True(result.Request.IsChunked);
    }

    [Fact]
    public void UnknownMethod_IsKeptAsSent()
    {
        var result = RequestParse.Run("M-SEARCH / HTTP/1.1\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal("M-SEARCH", result.Request.Method);
    }

    [Fact]
    public void RequestAtExactLimits_IsAccepted()
    {
        var limits = new HttpLimits(MaxRequestLineBytes: 64, MaxHeaderBytes: 40, MaxHeaderCount: 2);
        string line = "GET /" + new string('a', 64 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(64, line.Length);
        // Two header lines of 19 bytes each, plus the final CRLF: exactly 40 bytes.
        string headers = "X-1: 0123456789ab\r\nX-2: 0123456789ab\r\n\r\n";
        Assert.Equal(40, headers.Length);

        var result = RequestParse.Run(line + "\r\n" + headers, limits);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(2, result.Request.Headers.Count);
    }

    [Fact]
    public void Reset_ClearsEverything()
    {
        var request = RequestParse.Run("POST http://h/a?b HTTP/1.1\r\nContent-Length: 3\r\n\r\n").Request;
        request.Reset();

        Assert.Equal("", request.Method);
        Assert.Equal("", request.RawTarget);
        Assert.Equal("", request.Path);
        Assert.Null(request.Query);
        Assert.Null(request.Host);
        Assert.Null(request.ContentLength);
        Assert.False(request.IsChunked);
        Assert.False(request.KeepAlive);
        Assert.False(request.IsAbsoluteForm);
        Assert.Empty(request.Headers);
    }

    [Fact]
    public void ReusedRequest_HoldsOnlyTheLatestHeaders()
    {
        var request = new HttpRequest();
        RequestParse.Run(new System.Buffers.ReadOnlySequence<byte>(TestSequences.Ascii("GET /1 HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")), request: request);
        var second = RequestParse.Run(new System.Buffers.ReadOnlySequence<byte>(TestSequences.Ascii("GET /2 HTTP/1.0\r\nC: 3\r\n\r\n")), request: request);

        Assert.Equal(HttpParseStatus.Complete, second.Status);
        Assert.Equal("/2", request.Path);
        Assert.Equal([new("C", "3")], request.Headers);
        Assert.False(request.KeepAlive);
    }

    [Fact]
    public void DefaultLimits_MatchTheDocumentedValues()
    {
        Assert.Equal(new HttpLimits(8192, 16384, 64), HttpLimits.Default);
    }

    [Fact]
    public void ZeroLimits_MeanDefaults()
    {
        // `new HttpLimits()` bypasses the optional-parameter defaults and yields zeros.
        var result = RequestParse.Run("GET / HTTP/1.1\r\nHost: h\r\n\r\n", new HttpLimits());
        Assert.Equal(HttpParseStatus.Complete, result.Status);
    }
}
