using System.Buffers;
using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Parses an HTTP/1.x response head (status line and headers). Same shape as
/// <see cref="HttpRequestParser"/>: nothing is consumed until the head is complete, and the whole
/// head is bounded by <c>maxHeadBytes</c>, since the peer may be a hostile or broken upstream.
/// </summary>
public static class HttpResponseParser
{
    public static HttpParseStatus TryParse(ref SequenceReader<byte> reader, out HttpResponseHead? head, int maxHeadBytes = 16384)
    {
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        var status = ParseHead(span, maxHeadBytes, out head, out int consumed);
        if (status == HttpParseStatus.Incomplete && reader.Remaining > span.Length)
        {
            long window = Math.Min(reader.Remaining, Math.Max(maxHeadBytes, 0));
            byte[] copy = ArrayPool<byte>.Shared.Rent((int)window);
            try
            {
                reader.UnreadSequence.Slice(0, window).CopyTo(copy);
                status = ParseHead(copy.AsSpan(0, (int)window), maxHeadBytes, out head, out consumed);
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

    private static HttpParseStatus ParseHead(ReadOnlySpan<byte> buffer, int maxHeadBytes, out HttpResponseHead? head, out int consumed)
    {
        head = null;
        consumed = 0;
        int limit = Math.Max(maxHeadBytes, 0);
        int lf = buffer[..Math.Min(buffer.Length, limit)].IndexOf((byte)'\n');
        if (lf < 0)
        {
            return buffer.Length >= limit ? HttpParseStatus.Error : HttpParseStatus.Incomplete;
        }
        if (lf == 0 || buffer[lf - 1] != (byte)'\r'
            || !TryParseStatusLine(buffer[..(lf - 1)], out int versionMinor, out int status, out var reason))
        {
            return HttpParseStatus.Error;
        }
        int headersStart = lf + 1;
        switch (FieldBlock.Scan(buffer, headersStart, limit - headersStart, int.MaxValue, out int end))
        {
            case FieldBlockScan.Incomplete:
                return HttpParseStatus.Incomplete;
            case FieldBlockScan.TooLarge:
            case FieldBlockScan.Malformed:
                return HttpParseStatus.Error;
        }

        var headers = new List<KeyValuePair<string, string>>();
        long? contentLength = null;
        var transferCoding = new TransferCoding();
        var lines = new FieldLineReader(buffer, headersStart);
        while (lines.MoveNext(out var name, out var value))
        {
            headers.Add(new(KnownHeaderNames.Get(name) ?? Encoding.ASCII.GetString(name), Encoding.Latin1.GetString(value)));
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !ContentLengthParser.TryMerge(value, ref contentLength))
            {
                return HttpParseStatus.Error;
            }
            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) && !transferCoding.Add(value))
            {
                return HttpParseStatus.Error;
            }
        }
        bool chunked = transferCoding.Present && transferCoding.ChunkedLast;
        head = new HttpResponseHead(versionMinor, status, Encoding.Latin1.GetString(reason), headers, chunked ? null : contentLength, chunked);
        consumed = end;
        return HttpParseStatus.Complete;
    }

    /// <summary>
    /// The status code of a status line alone (<paramref name="line"/> without its line end), for a
    /// caller that needs nothing more than the code, such as a health probe.
    /// </summary>
    public static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int status) => TryParseStatusLine(line, out _, out status, out _);

    /// <summary>status-line = HTTP-version SP 3DIGIT SP [reason-phrase]; a missing final SP is tolerated.</summary>
    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int versionMinor, out int status, out ReadOnlySpan<byte> reason)
    {
        versionMinor = 0;
        status = 0;
        reason = default;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' '
            || line[9..12].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || line[9] == (byte)'0')
        {
            return false;
        }
        if (line.Length > 12 && line[12] != (byte)' ')
        {
            return false;
        }
        reason = line.Length > 12 ? line[13..] : default;
        if (reason.IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0)
        {
            return false;
        }
        versionMinor = line[7] - '0';
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        return true;
    }
}
