using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Interprets the headers that decide how a request is framed and whether the connection
/// stays open: Host, Connection, Content-Length and Transfer-Encoding. Fed one header at a
/// time, then <see cref="Finish"/> checks the combination.
/// </summary>
internal struct RequestFraming
{
    private bool _sawHost;
    private bool _close;
    private bool _keepAlive;
    private long? _contentLength;
    private TransferCoding _transferCoding;

    /// <returns>0, or 400 when the header is malformed or contradicts an earlier one.</returns>
    public int Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, string valueString, HttpRequest request)
    {
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "Host"u8):
                // Two Hosts could route one request to two domains (RFC 9112 §3.2 requires 400).
                if (_sawHost || value.IndexOfAnyExcept(HttpCharacters.HostChars) >= 0)
                {
                    return 400;
                }
                _sawHost = true;
                // An absolute-form target's authority wins over Host (RFC 9112 §3.2.2).
                if (!request.IsAbsoluteForm)
                {
                    request.Host = valueString;
                }
                return 0;
            case 10 when Ascii.EqualsIgnoreCase(name, "Connection"u8):
                AddConnectionOptions(value);
                return 0;
            case 14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8):
                return ContentLengthParser.TryMerge(value, ref _contentLength) ? 0 : 400;
            case 17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8):
                return _transferCoding.Add(value) ? 0 : 400;
            default:
                return 0;
        }
    }

    public readonly int Finish(HttpRequest request)
    {
        if (_transferCoding.Present)
        {
            // Both length headers, an unknown final coding, or chunking on HTTP/1.0 leave the body
            // length ambiguous between us and any proxy in front: refuse rather than guess.
            if (_contentLength.HasValue || !_transferCoding.ChunkedLast || request.VersionMinor == 0)
            {
                return 400;
            }
            request.IsChunked = true;
        }
        request.ContentLength = _contentLength;
        request.KeepAlive = !_close && (request.VersionMinor >= 1 || _keepAlive);
        return 0;
    }

    private void AddConnectionOptions(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            var option = HttpCharacters.TrimOws(comma < 0 ? value : value[..comma]);
            value = comma < 0 ? default : value[(comma + 1)..];
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
            {
                _close = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
            {
                _keepAlive = true;
            }
        }
    }
}
