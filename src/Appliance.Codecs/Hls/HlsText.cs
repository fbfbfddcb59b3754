using Appliance.Codecs.Text;

namespace Appliance.Codecs.Hls;

/// <summary>URIs and quoted strings as HLS attribute lists take them (RFC 8216bis 4.2), with the session's query appended.</summary>
internal static class HlsText
{
    /// <summary>
    /// <paramref name="uri"/>, then <paramref name="querySuffix"/> after '?' (or '&amp;' when the URI
    /// has a query already). Written straight into the output: nothing is built per URI.
    /// </summary>
    public static void AppendUri(Utf8Output output, string uri, string? querySuffix)
    {
        Check(uri);
        if (querySuffix is not null)
        {
            Check(querySuffix);
        }
        output.Append(uri);
        if (!string.IsNullOrEmpty(querySuffix))
        {
            output.Append(uri.Contains('?') ? '&' : '?');
            output.Append(querySuffix);
        }
    }

    /// <summary>A quoted-string URI.</summary>
    public static void AppendQuotedUri(Utf8Output output, string uri, string? querySuffix)
    {
        output.Append('"');
        AppendUri(output, uri, querySuffix);
        output.Append('"');
    }

    /// <summary>A quoted-string attribute value (names, group ids, codecs).</summary>
    public static void AppendQuoted(Utf8Output output, string value)
    {
        Check(value);
        output.Append('"');
        output.Append(value);
        output.Append('"');
    }

    // A double quote, CR or LF would end the attribute or the line: never in names we make, so refused loudly.
    private static void Check(string value)
    {
        if (value.AsSpan().IndexOfAny('"', '\r', '\n') >= 0)
        {
            throw new ArgumentException($"An HLS quoted-string cannot hold a double quote, CR or LF: {value}", nameof(value));
        }
    }
}
