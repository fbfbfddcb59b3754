using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class HttpRequestParserErrorTests
{
    private static void AssertError(int expected, RequestParse result)
    {
        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Equal(expected, result.ErrorStatus);
        Assert.Equal(0, result.Consumed);
    }

    private static void AssertError(int expected, string text) => AssertError(expected, RequestParse.Run(text));

    [Fact]
    public void BinaryGarbage_Is400()
    {
        // A TLS ClientHello sent to the plain-HTTP port, with a CRLF to end its "line".
        byte[] data = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, (byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n'];
        AssertError(400, RequestParse.Run(data));
    }

    [Theory]
    [InlineData("hello world\r\n\r\n")]
    [InlineData("\r\n")]
    [InlineData("\r\nGET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET\r\n\r\n")]
    [InlineData("GET /\r\n\r\n")]
    [InlineData("GET / \r\n\r\n")]
    [InlineData(" GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\n\r\n")]
    [InlineData("GET /  HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 \r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    [InlineData("G(T / HTTP/1.1\r\n\r\n")]
    [InlineData("GET\t/ HTTP/1.1\r\n\r\n")]
    [InlineData("GET / http/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1x\r\n\r\n")]
    [InlineData("GET / HTTX/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1,1\r\n\r\n")]
    [InlineData("GET / HTTP/11\r\n\r\n")]
    [InlineData("GET / HTTP/10.0\r\n\r\n")]
    public void MalformedRequestLine_Is400(string text) => AssertError(400, text);

    [Theory]
    [InlineData("GET / HTTP/1.1\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n")]
    public void BareLineFeed_Is400(string text) => AssertError(400, text);

    [Fact]
    public void ControlByteInTarget_Is400()
    {
        AssertError(400, RequestParse.Run(TestSequences.Ascii("GET /a\u0001b HTTP/1.1\r\n\r\n")));
    }

    [Fact]
    public void NonAsciiByteInTarget_Is400()
    {
        AssertError(400, RequestParse.Run(Encoding.UTF8.GetBytes("GET /\u00e9 HTTP/1.1\r\n\r\n")));
    }

    [Fact]
    public void RequestLineOverLimit_Is414()
    {
        string target = "/" + new string('a', 9000);
        AssertError(414, $"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n");
    }

    [Fact]
    public void RequestLineOverLimit_StillArriving_Is414()
    {
        // No CRLF yet, but already more bytes than any valid request line: refuse without waiting.
        AssertError(414, "GET /" + new string('a', 9000));
    }

    [Fact]
    public void RequestLineOneByteOverLimit_Is414()
    {
        var limits = new HttpLimits(MaxRequestLineBytes: 64);
        string line = "GET /" + new string('a', 65 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(65, line.Length);
        AssertError(414, RequestParse.Run(line + "\r\n\r\n", limits));
    }

    [Fact]
    public void GarbageWithoutLineEnd_IsIncompleteUntilOverLimit()
    {
        Assert.Equal(HttpParseStatus.Incomplete, RequestParse.Run(new string('x', 100)).Status);
        AssertError(414, new string('x', 8194));
    }

    [Fact]
    public void HeaderBlockOverLimit_Is431()
    {
        string big = "X-Big: " + new string('b', 20 * 1024) + "\r\n";
        AssertError(431, "GET / HTTP/1.1\r\n" + big + "\r\n");
    }

    [Fact]
    public void HeaderBlockOverLimit_StillArriving_Is431()
    {
        AssertError(431, "GET / HTTP/1.1\r\nX-Big: " + new string('b', 20 * 1024));
    }

    [Fact]
    public void ManySmallHeadersOverByteLimit_Is431()
    {
        var text = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 60; i++)
        {
            text.Append("X-").Append(i).Append(": ").Append('v', 300).Append("\r\n");
        }
        AssertError(431, text.Append("\r\n").ToString());
    }

    [Fact]
    public void HeaderBlockOneByteOverLimit_Is431()
    {
        var limits = new HttpLimits(MaxHeaderBytes: 39);
        AssertError(431, RequestParse.Run("GET / HTTP/1.1\r\nX-1: 0123456789ab\r\nX-2: 0123456789ab\r\n\r\n", limits));
    }

    [Fact]
    public void SixtyFiveHeaders_Is431()
    {
        var text = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 65; i++)
        {
            text.Append("X-").Append(i).Append(": v\r\n");
        }
        AssertError(431, text.Append("\r\n").ToString());
    }

    [Fact]
    public void SixtyFourHeaders_IsAccepted()
    {
        var text = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 64; i++)
        {
            text.Append("X-").Append(i).Append(": v\r\n");
        }
        var result = RequestParse.Run(text.Append("\r\n").ToString());

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(64, result.Request.Headers.Count);
    }

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/3.0")]
    public void UnsupportedVersion_Is505(string version) => AssertError(505, $"GET / {version}\r\nHost: h\r\n\r\n");

    [Fact]
    public void UnsupportedVersion_IsRefusedBeforeHeadersArrive()
    {
        AssertError(505, "GET / HTTP/2.0\r\nHost: h");
    }

    [Theory]
    [InlineData("Host : h")]
    [InlineData("Host\t: h")]
    [InlineData(" Host: h")]
    [InlineData(": h")]
    [InlineData("NoColon")]
    [InlineData("Bad(Name): h")]
    [InlineData("X-A: 1\r\n  continued")]
    [InlineData("X-A: 1\r\n\tcontinued")]
    public void MalformedHeaderLine_Is400(string header) => AssertError(400, $"GET / HTTP/1.1\r\n{header}\r\n\r\n");

    [Fact]
    public void MalformedHeaderLine_IsRefusedBeforeHeadEnds()
    {
        AssertError(400, "GET / HTTP/1.1\r\nHost : h\r\nX-More: ");
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0001")]
    [InlineData("\r")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    public void ControlCharacterInHeaderValue_Is400(string control)
    {
        AssertError(400, RequestParse.Run(TestSequences.Ascii($"GET / HTTP/1.1\r\nX-A: a{control}b\r\n\r\n")));
    }

    [Fact]
    public void NulInHeaderName_Is400()
    {
        AssertError(400, RequestParse.Run(TestSequences.Ascii("GET / HTTP/1.1\r\nX\0A: b\r\n\r\n")));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    public void ContentLengthAndChunked_Is400(string headers) => AssertError(400, $"POST /x HTTP/1.1\r\n{headers}\r\n");

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData("5 5")]
    [InlineData("0x10")]
    [InlineData("")]
    [InlineData("5, 6")]
    [InlineData("5,")]
    [InlineData("1234567890123456789")]
    [InlineData("99999999999999999999999")]
    public void InvalidContentLength_Is400(string value) => AssertError(400, $"POST /x HTTP/1.1\r\nContent-Length: {value}\r\n\r\n");

    [Fact]
    public void DisagreeingContentLengths_Is400()
    {
        AssertError(400, "POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
    }

    [Theory]
    [InlineData("HTTP/1.1", "gzip")]
    [InlineData("HTTP/1.1", "chunked, gzip")]
    [InlineData("HTTP/1.1", "chunked, chunked")]
    [InlineData("HTTP/1.1", "chunked;x=1")]
    [InlineData("HTTP/1.0", "chunked")]
    public void UntrustworthyTransferEncoding_Is400(string version, string value) =>
        AssertError(400, $"POST /x {version}\r\nTransfer-Encoding: {value}\r\n\r\n");

    [Fact]
    public void ChunkedFollowedByAnotherCodingInALaterHeader_Is400()
    {
        AssertError(400, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n");
    }

    [Theory]
    [InlineData("/a%zz")]
    [InlineData("/a%2")]
    [InlineData("/a%")]
    [InlineData("/a%g0")]
    [InlineData("/a%00b")]
    [InlineData("/a%0Ab")]
    [InlineData("/a%0d%0aSet-Cookie:x")]
    [InlineData("/a%7F")]
    [InlineData("/a%FF")]
    [InlineData("/a%C3")]
    [InlineData("/a%C0%AF")]
    public void BadPercentEncoding_Is400(string target) => AssertError(400, $"GET {target} HTTP/1.1\r\n\r\n");

    [Theory]
    [InlineData("*")]
    [InlineData("live/a.flv")]
    [InlineData("?a=1")]
    [InlineData("host:443")]
    [InlineData("ftp://host/a")]
    [InlineData("http://")]
    [InlineData("http:///a")]
    [InlineData("http://user@host/a")]
    [InlineData("http://host%zz\"/a")]
    [InlineData("http:/host/a")]
    public void TargetNotOriginOrAbsoluteForm_Is400(string target) => AssertError(400, $"OPTIONS {target} HTTP/1.1\r\n\r\n");

    [Theory]
    [InlineData("Host: a\r\nHost: b\r\n")]
    [InlineData("Host: a/b\r\n")]
    [InlineData("Host: user@a\r\n")]
    [InlineData("Host: a b\r\n")]
    public void BadOrRepeatedHost_Is400(string headers) => AssertError(400, $"GET / HTTP/1.1\r\n{headers}\r\n");

    [Fact]
    public void ExtremeLimits_DoNotBreakTheParser()
    {
        var huge = new HttpLimits(int.MaxValue, int.MaxValue, int.MaxValue);
        Assert.Equal(HttpParseStatus.Complete, RequestParse.Run("GET / HTTP/1.1\r\n\r\n", huge).Status);

        var negative = new HttpLimits(-1, -1, -1);
        var result = RequestParse.Run("GET / HTTP/1.1\r\n\r\n", negative);
        Assert.Equal(HttpParseStatus.Error, result.Status);
        Assert.Equal(414, result.ErrorStatus);
    }
}
