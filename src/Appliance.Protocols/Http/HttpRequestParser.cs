using System.Buffers;
using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Parses one HTTP/1.x request head. The head is validated in one allocation-free pass over a
/// contiguous span (the reader's current segment when the head fits in it, which is the common
/// case; otherwise a bounded copy of the split bytes), and only a complete, valid head is turned
/// into strings. Never throws on input: every problem becomes <see cref="HttpParseStatus.Error"/>.
/// </summary>
public static class HttpRequestParser
{
    public static HttpParseStatus TryParse(ref SequenceReader<byte> reader, HttpRequest request, in HttpLimits limits, out int errorStatus)
    {
        ArgumentNullException.ThrowIfNull(request);
        // `new HttpLimits()` is all zeros, under which no request could ever fit; read it as "unset".
        var effective = limits == default ? HttpLimits.Default : limits;
        return TryParseCore(ref reader, request, effective, out errorStatus);
    }

    private static HttpParseStatus TryParseCore(ref SequenceReader<byte> reader, HttpRequest request, in HttpLimits limits, out int errorStatus)
    {
        // Fast path: the head lies in the current segment.
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        var status = ParseHead(span, request, limits, out int consumed, out errorStatus);
        if (status == HttpParseStatus.Incomplete && reader.Remaining > span.Length)
        {
            // Slow path: the head continues into later segments. Copy no more than the largest
            // head the limits allow; anything past that is an error whatever it contains.
            long window = Math.Min(reader.Remaining, MaxHeadBytes(limits));
            byte[] copy = ArrayPool<byte>.Shared.Rent((int)window);
            try
            {
                reader.UnreadSequence.Slice(0, window).CopyTo(copy);
                status = ParseHead(copy.AsSpan(0, (int)window), request, limits, out consumed, out errorStatus);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        if (status == HttpParseStatus.Complete)
        {
            reader.Advance(consumed);
        }
        return status;
    }

    private static long MaxHeadBytes(in HttpLimits limits) =>
        Math.Clamp((long)limits.MaxRequestLineBytes + 2 + limits.MaxHeaderBytes, 0, Array.MaxLength);

    private static HttpParseStatus ParseHead(ReadOnlySpan<byte> buffer, HttpRequest request, in HttpLimits limits, out int consumed, out int errorStatus)
    {
        consumed = 0;
        errorStatus = 0;

        // The request line may be MaxRequestLineBytes long plus its CRLF.
        int lineLimit = (int)Math.Clamp((long)limits.MaxRequestLineBytes + 2, 2, int.MaxValue);
        int lf = buffer[..Math.Min(buffer.Length, lineLimit)].IndexOf((byte)'\n');
        if (lf < 0)
        {
            return buffer.Length >= lineLimit ? Fail(414, out errorStatus) : HttpParseStatus.Incomplete;
        }
        if (lf == 0 || buffer[lf - 1] != (byte)'\r')
        {
            return Fail(400, out errorStatus);
        }
        var requestLine = buffer[..(lf - 1)];
        int lineStatus = RequestLineParser.Parse(requestLine, out var method, out var target, out int versionMinor);
        if (lineStatus != 0)
        {
            return Fail(lineStatus, out errorStatus);
        }

        int headersStart = lf + 1;
        switch (FieldBlock.Scan(buffer, headersStart, limits.MaxHeaderBytes, limits.MaxHeaderCount, out int end))
        {
            case FieldBlockScan.Incomplete:
                return HttpParseStatus.Incomplete;
            case FieldBlockScan.TooLarge:
                return Fail(431, out errorStatus);
            case FieldBlockScan.Malformed:
                return Fail(400, out errorStatus);
        }

        // The head is complete and syntactically valid: now allocate its strings.
        request.Reset();
        request.Method = RequestLineParser.MethodString(method);
        request.VersionMinor = versionMinor;
        if (RequestTargetParser.Parse(target, request) != 0)
        {
            return Fail(400, out errorStatus);
        }
        var framing = new RequestFraming();
        var lines = new FieldLineReader(buffer, headersStart);
        while (lines.MoveNext(out var name, out var value))
        {
            string valueString = Encoding.Latin1.GetString(value);
            request.AddHeader(KnownHeaderNames.Get(name) ?? Encoding.ASCII.GetString(name), valueString);
            if (framing.Add(name, value, valueString, request) != 0)
            {
                return Fail(400, out errorStatus);
            }
        }
        if (framing.Finish(request) != 0)
        {
            return Fail(400, out errorStatus);
        }
        consumed = end;
        return HttpParseStatus.Complete;
    }

    private static HttpParseStatus Fail(int status, out int errorStatus)
    {
        errorStatus = status;
        return HttpParseStatus.Error;
    }
}
