namespace Appliance.Protocols.Http;

/// <summary>
/// One parsed request head. Filled by <see cref="HttpRequestParser"/>; a keep-alive connection
/// keeps one instance and calls <see cref="Reset"/> between requests so the header list is reused.
/// </summary>
public sealed class HttpRequest
{
    private readonly List<KeyValuePair<string, string>> _headers = new(16);

    public string Method { get; internal set; } = "";

    /// <summary>The request-target exactly as sent (ASCII).</summary>
    public string RawTarget { get; internal set; } = "";

    /// <summary>
    /// Percent-decoded (UTF-8) path without query, dot segments removed. An encoded slash stays
    /// "%2F" so that it cannot split one path segment into two.
    /// </summary>
    public string Path { get; internal set; } = "";

    /// <summary>Raw query after '?', without any '#fragment'; null when the target has no '?'.</summary>
    public string? Query { get; internal set; }

    public int VersionMinor { get; internal set; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    public bool KeepAlive { get; internal set; }

    public long? ContentLength { get; internal set; }

    public bool IsChunked { get; internal set; }

    /// <summary>Host header, or the authority of an absolute-form target; port kept.</summary>
    public string? Host { get; internal set; }

    /// <summary>True when the target was absolute-form ("http://host/path").</summary>
    public bool IsAbsoluteForm { get; internal set; }

    /// <summary>Case-insensitive lookup; first match wins.</summary>
    public string? GetHeader(string name)
    {
        // A list scan beats a dictionary for the dozen headers a real request carries.
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    public void Reset()
    {
        Method = "";
        RawTarget = "";
        Path = "";
        Query = null;
        VersionMinor = 0;
        _headers.Clear();
        KeepAlive = false;
        ContentLength = null;
        IsChunked = false;
        Host = null;
        IsAbsoluteForm = false;
    }

    internal void AddHeader(string name, string value) => _headers.Add(new(name, value));
}
