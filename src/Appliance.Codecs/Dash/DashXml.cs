using Appliance.Codecs.Text;

namespace Appliance.Codecs.Dash;

/// <summary>XML text for the MPD: escaped attribute values, xs:duration, and templates with the session query.</summary>
internal static class DashXml
{
    /// <summary>An attribute value, escaped for a double-quoted attribute.</summary>
    public static void AppendEscaped(Utf8Output text, ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            var special = value.IndexOfAny("&<>\"");
            if (special < 0)
            {
                text.Append(value);
                return;
            }
            text.Append(value[..special]);
            text.Append(value[special] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                _ => "&quot;"u8,
            });
            value = value[(special + 1)..];
        }
    }

    /// <summary>
    /// A URL template with the session query appended ('?' or '&amp;'); '$' in the query is doubled,
    /// as a template reads a lone '$' as the start of an identifier.
    /// </summary>
    public static void AppendTemplate(Utf8Output text, string template, string? querySuffix)
    {
        AppendEscaped(text, template);
        if (string.IsNullOrEmpty(querySuffix))
        {
            return;
        }
        AppendEscaped(text, template.Contains('?') ? "&" : "?");
        ReadOnlySpan<char> query = querySuffix;
        while (!query.IsEmpty)
        {
            var dollar = query.IndexOf('$');
            if (dollar < 0)
            {
                AppendEscaped(text, query);
                return;
            }
            AppendEscaped(text, query[..(dollar + 1)]);
            text.Append('$');
            query = query[(dollar + 1)..];
        }
    }

    /// <summary>Milliseconds as an xs:duration in seconds ("PT2S", "PT1.5S", "PT0S").</summary>
    public static void AppendDuration(Utf8Output text, long milliseconds)
    {
        text.Append("PT"u8);
        text.AppendThousandthsTrimmed(milliseconds);
        text.Append('S');
    }
}
