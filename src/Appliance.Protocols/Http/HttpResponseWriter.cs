using System.Buffers;
using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Writes HTTP/1.1 response heads. Each head is sized first and written with a single
/// GetSpan/Advance, so a writer backed by a pipe sees one contiguous block.
/// </summary>
public static class HttpResponseWriter
{
    /// <summary>How long a browser may cache a preflight answer, in seconds.</summary>
    public const int PreflightMaxAgeSeconds = 86400;

    private static readonly KeyValuePair<string, string>[] PreflightHeaders =
    [
        new("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
        new("Access-Control-Allow-Headers", "*"),
        new("Access-Control-Max-Age", PreflightMaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public static string ReasonPhrase(int status) => HttpReasonPhrases.Get(status);

    /// <summary>A head without a length ends its body by closing the connection.</summary>
    public static void WriteHead(IBufferWriter<byte> writer, int status, string? contentType, long? contentLength, bool keepAlive,
        ReadOnlySpan<KeyValuePair<string, string>> extraHeaders = default)
    {
        WriteHead(writer, HttpDate.Current, status, contentType, contentLength, keepAlive, extraHeaders);
    }

    /// <summary>As the public overload, with the Date value supplied (tests pin it).</summary>
    internal static void WriteHead(IBufferWriter<byte> writer, ReadOnlySpan<byte> date, int status, string? contentType, long? contentLength,
        bool keepAlive, ReadOnlySpan<KeyValuePair<string, string>> extraHeaders = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var head = new ResponseHeadFormatter(status, contentType, contentLength, keepAlive, extraHeaders);
        int size = head.Measure(date);
        head.Write(writer.GetSpan(size), date);
        writer.Advance(size);
    }

    public static void WriteText(IBufferWriter<byte> writer, int status, string body, bool keepAlive, bool headOnly = false)
    {
        WriteText(writer, HttpDate.Current, status, body, keepAlive, headOnly);
    }

    internal static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<byte> date, int status, string body, bool keepAlive, bool headOnly = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        int bodyLength = Encoding.UTF8.GetByteCount(body);
        WriteHead(writer, date, status, "text/plain; charset=utf-8", bodyLength, keepAlive);
        if (!headOnly && bodyLength > 0)
        {
            int written = Encoding.UTF8.GetBytes(body, writer.GetSpan(bodyLength));
            writer.Advance(written);
        }
    }

    public static void WritePreflight(IBufferWriter<byte> writer, bool keepAlive)
    {
        WritePreflight(writer, HttpDate.Current, keepAlive);
    }

    internal static void WritePreflight(IBufferWriter<byte> writer, ReadOnlySpan<byte> date, bool keepAlive)
    {
        // 204 carries no Content-Length (RFC 9110 §8.6).
        WriteHead(writer, date, 204, null, null, keepAlive, PreflightHeaders);
    }
}
