using System.Buffers.Text;
using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// The fields of one response head the server sends, measured and then written into one span (a
/// head a client receives is parsed into <see cref="HttpResponseHead"/>). Caller-supplied
/// strings are checked here because a CR or LF in them would let a client's input (say, a path
/// echoed into a header) split the response.
/// </summary>
internal readonly ref struct ResponseHeadFormatter
{
    private static ReadOnlySpan<byte> ServerAndDate => "Server: appliance\r\nDate: "u8;
    private static ReadOnlySpan<byte> ContentTypeName => "Content-Type: "u8;
    private static ReadOnlySpan<byte> ContentLengthName => "Content-Length: "u8;
    private static ReadOnlySpan<byte> KeepAliveLine => "Connection: keep-alive\r\n"u8;
    private static ReadOnlySpan<byte> CloseLine => "Connection: close\r\n"u8;
    private static ReadOnlySpan<byte> CorsLines => "Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: *\r\n"u8;
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private readonly int _status;
    private readonly string _reason;
    private readonly string? _contentType;
    private readonly long? _contentLength;
    private readonly bool _keepAlive;
    private readonly ReadOnlySpan<KeyValuePair<string, string>> _extraHeaders;

    public ResponseHeadFormatter(int status, string? contentType, long? contentLength, bool keepAlive,
        ReadOnlySpan<KeyValuePair<string, string>> extraHeaders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        if (contentLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contentLength));
        }
        if (contentType is not null)
        {
            CheckValue(contentType);
        }
        foreach (var header in extraHeaders)
        {
            CheckName(header.Key);
            CheckValue(header.Value);
        }
        _status = status;
        _reason = HttpReasonPhrases.Get(status);
        _contentType = contentType;
        _contentLength = contentLength;
        _keepAlive = keepAlive;
        _extraHeaders = extraHeaders;
    }

    public int Measure(ReadOnlySpan<byte> date)
    {
        // "HTTP/1.1 200 " + reason + CRLF
        int size = 13 + _reason.Length + 2;
        size += ServerAndDate.Length + date.Length + 2;
        if (_contentType is not null)
        {
            size += ContentTypeName.Length + Encoding.UTF8.GetByteCount(_contentType) + 2;
        }
        if (_contentLength is long length)
        {
            size += ContentLengthName.Length + DigitCount(length) + 2;
        }
        size += _keepAlive ? KeepAliveLine.Length : CloseLine.Length;
        size += CorsLines.Length;
        foreach (var header in _extraHeaders)
        {
            size += header.Key.Length + 2 + Encoding.UTF8.GetByteCount(header.Value) + 2;
        }
        return size + 2;
    }

    public void Write(Span<byte> dest, ReadOnlySpan<byte> date)
    {
        int pos = 0;
        Append(dest, ref pos, "HTTP/1.1 "u8);
        Utf8Formatter.TryFormat(_status, dest[pos..], out int written);
        pos += written;
        dest[pos++] = (byte)' ';
        pos += Encoding.ASCII.GetBytes(_reason, dest[pos..]);
        Append(dest, ref pos, Crlf);

        Append(dest, ref pos, ServerAndDate);
        Append(dest, ref pos, date);
        Append(dest, ref pos, Crlf);
        if (_contentType is not null)
        {
            Append(dest, ref pos, ContentTypeName);
            pos += Encoding.UTF8.GetBytes(_contentType, dest[pos..]);
            Append(dest, ref pos, Crlf);
        }
        if (_contentLength is long length)
        {
            Append(dest, ref pos, ContentLengthName);
            Utf8Formatter.TryFormat(length, dest[pos..], out written);
            pos += written;
            Append(dest, ref pos, Crlf);
        }
        Append(dest, ref pos, _keepAlive ? KeepAliveLine : CloseLine);
        Append(dest, ref pos, CorsLines);
        foreach (var header in _extraHeaders)
        {
            pos += Encoding.ASCII.GetBytes(header.Key, dest[pos..]);
            Append(dest, ref pos, ": "u8);
            pos += Encoding.UTF8.GetBytes(header.Value, dest[pos..]);
            Append(dest, ref pos, Crlf);
        }
        Append(dest, ref pos, Crlf);
    }

    private static void Append(Span<byte> dest, ref int pos, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(dest[pos..]);
        pos += bytes.Length;
    }

    private static int DigitCount(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (char c in name)
        {
            if (c > 0x7F || !HttpCharacters.Token.Contains((byte)c))
            {
                throw new ArgumentException($"Header name '{name}' is not a token.", nameof(name));
            }
        }
        if (name.Length == 0)
        {
            throw new ArgumentException("Header name is empty.", nameof(name));
        }
    }

    private static void CheckValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("Header value contains CR, LF or NUL.", nameof(value));
        }
    }
}
