using System.Buffers;
using System.Globalization;
using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

public class HttpResponseWriterTests
{
    private const string Date = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static byte[] DateBytes => Encoding.ASCII.GetBytes(Date);

    private static string Text(ArrayBufferWriter<byte> writer) => Encoding.UTF8.GetString(writer.WrittenSpan);

    [Fact]
    public void StreamingHead_IsExact()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WriteHead(writer, DateBytes, 200, "video/x-flv", null, keepAlive: false);

        Assert.Equal(
            "HTTP/1.1 200 OK\r\n" +
            "Server: appliance\r\n" +
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
            "Content-Type: video/x-flv\r\n" +
            "Connection: close\r\n" +
            "Access-Control-Allow-Origin: *\r\n" +
            "Access-Control-Expose-Headers: *\r\n" +
            "\r\n",
            Text(writer));
    }

    [Fact]
    public void HeadWithLengthAndExtras_IsExact()
    {
        var writer = new ArrayBufferWriter<byte>();
        KeyValuePair<string, string>[] extras = [new("Cache-Control", "no-cache"), new("X-Stream", "caf\u00e9")];
        HttpResponseWriter.WriteHead(writer, DateBytes, 404, "application/vnd.apple.mpegurl", 1234567890123, keepAlive: false, extras);

        Assert.Equal(
            "HTTP/1.1 404 Not Found\r\n" +
            "Server: appliance\r\n" +
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
            "Content-Type: application/vnd.apple.mpegurl\r\n" +
            "Content-Length: 1234567890123\r\n" +
            "Connection: close\r\n" +
            "Access-Control-Allow-Origin: *\r\n" +
            "Access-Control-Expose-Headers: *\r\n" +
            "Cache-Control: no-cache\r\n" +
            "X-Stream: caf\u00e9\r\n" +
            "\r\n",
            Text(writer));
    }

    [Fact]
    public void HeadWithoutTypeOrLength_OmitsThem()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WriteHead(writer, DateBytes, 599, null, null, keepAlive: true);

        Assert.Equal(
            "HTTP/1.1 599 \r\nServer: appliance\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: keep-alive\r\n" +
            "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: *\r\n\r\n",
            Text(writer));
    }

    [Fact]
    public void Text_IsExact()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WriteText(writer, DateBytes, 404, "not found \u2713\n", keepAlive: true);

        Assert.Equal(
            "HTTP/1.1 404 Not Found\r\nServer: appliance\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\nConnection: keep-alive\r\n" +
            "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: *\r\n\r\n" +
            "not found \u2713\n",
            Text(writer));
    }

    [Fact]
    public void TextForHead_KeepsLengthButOmitsBody()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WriteText(writer, DateBytes, 403, "forbidden\n", keepAlive: false, headOnly: true);

        Assert.Equal(
            "HTTP/1.1 403 Forbidden\r\nServer: appliance\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\nConnection: close\r\n" +
            "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: *\r\n\r\n",
            Text(writer));
    }

    [Fact]
    public void Preflight_IsExact()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WritePreflight(writer, DateBytes, keepAlive: true);

        Assert.Equal(
            "HTTP/1.1 204 No Content\r\nServer: appliance\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
            "Connection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: *\r\n" +
            "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\nAccess-Control-Max-Age: 86400\r\n\r\n",
            Text(writer));
    }

    [Fact]
    public void PublicOverloads_WriteTheCurrentDate()
    {
        var writer = new ArrayBufferWriter<byte>();
        HttpResponseWriter.WriteText(writer, 200, "ok", keepAlive: true);
        HttpResponseWriter.WritePreflight(writer, keepAlive: false);
        HttpResponseWriter.WriteHead(writer, 200, "video/mp2t", 5, keepAlive: true);

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(writer.WrittenMemory));
        Assert.Equal(HttpParseStatus.Complete, HttpResponseParser.TryParse(ref reader, out var head));
        Assert.Equal(200, head!.Status);
        var date = DateTime.ParseExact(head.GetHeader("Date")!, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(date, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.True(reader.TryAdvanceTo((byte)'k'));
        Assert.Equal(HttpParseStatus.Complete, HttpResponseParser.TryParse(ref reader, out head));
        Assert.Equal(204, head!.Status);
        Assert.Equal(HttpParseStatus.Complete, HttpResponseParser.TryParse(ref reader, out head));
        Assert.Equal(5, head!.ContentLength);
        Assert.True(reader.End);
    }

    [Fact]
    public void DateFormat_IsRfc1123()
    {
        var bytes = HttpDate.Format(new DateTime(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc));
        Assert.Equal(Date, Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void CurrentDate_IsCachedWithinASecond()
    {
        // Two reads in the same second share one array; retry once if a second boundary intervened.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (ReferenceEquals(HttpDate.Current, HttpDate.Current))
            {
                return;
            }
        }
        Assert.Fail("Date was rebuilt on every call.");
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(206, "Partial Content")]
    [InlineData(304, "Not Modified")]
    [InlineData(400, "Bad Request")]
    [InlineData(414, "URI Too Long")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(505, "HTTP Version Not Supported")]
    [InlineData(299, "")]
    public void ReasonPhrase_IsStandard(int status, string expected)
    {
        Assert.Equal(expected, HttpResponseWriter.ReasonPhrase(status));
    }

    [Theory]
    [InlineData("X-A", "a\r\nSet-Cookie: x")]
    [InlineData("X-A", "a\nb")]
    [InlineData("X-A", "a\0b")]
    [InlineData("X A", "v")]
    [InlineData("X:A", "v")]
    [InlineData("", "v")]
    [InlineData("X-\u00e9", "v")]
    public void ExtraHeader_WithInjection_Throws(string name, string value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() =>
            HttpResponseWriter.WriteHead(writer, 200, null, null, true, [new KeyValuePair<string, string>(name, value)]));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void ContentType_WithInjection_Throws()
    {
        Assert.Throws<ArgumentException>(() => HttpResponseWriter.WriteHead(new ArrayBufferWriter<byte>(), 200, "text/plain\r\nX: y", null, true));
    }

    [Fact]
    public void InvalidStatusOrLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpResponseWriter.WriteHead(new ArrayBufferWriter<byte>(), 99, null, null, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpResponseWriter.WriteHead(new ArrayBufferWriter<byte>(), 1000, null, null, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpResponseWriter.WriteHead(new ArrayBufferWriter<byte>(), 200, null, -1, true));
    }
}
