namespace Appliance.Protocols.Http;

/// <summary>A parsed response head, for the client side (tests, the load generator, relay pulls).</summary>
public sealed class HttpResponseHead
{
    private readonly List<KeyValuePair<string, string>> _headers;

    internal HttpResponseHead(int versionMinor, int status, string reason, List<KeyValuePair<string, string>> headers, long? contentLength, bool isChunked)
    {
        VersionMinor = versionMinor;
        Status = status;
        Reason = reason;
        _headers = headers;
        ContentLength = contentLength;
        IsChunked = isChunked;
    }

    public int VersionMinor { get; }

    public int Status { get; }

    public string Reason { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>Null when absent, or when the body is chunked (chunking overrides it, RFC 9112 §6.3).</summary>
    public long? ContentLength { get; }

    public bool IsChunked { get; }

    /// <summary>Case-insensitive lookup; first match wins.</summary>
    public string? GetHeader(string name)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }
}
