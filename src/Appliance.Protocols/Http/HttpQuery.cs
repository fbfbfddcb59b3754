namespace Appliance.Protocols.Http;

/// <summary>Reads and edits a raw query string ("a=1&amp;b=2") such as <see cref="HttpRequest.Query"/>.</summary>
public static class HttpQuery
{
    /// <summary>
    /// The percent-decoded value ('+' as space) of the first parameter named <paramref name="name"/>,
    /// "" for a bare "name" or "name=", or null when absent.
    /// </summary>
    public static string? Get(string? query, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (query is null)
        {
            return null;
        }
        var rest = query.AsSpan();
        while (NextParameter(ref rest, out var parameter))
        {
            SplitParameter(parameter, out var key, out var value);
            if (QueryComponent.NameEquals(key, name))
            {
                return QueryComponent.Decode(value);
            }
        }
        return null;
    }

    /// <summary>
    /// The query without any parameter named in <paramref name="names"/> (compared after decoding),
    /// other parameters kept raw and in order; null when nothing remains. Empty parameters ("a&amp;&amp;b")
    /// are dropped when something is removed.
    /// </summary>
    public static string? Without(string? query, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (string.IsNullOrEmpty(query))
        {
            return null;
        }
        if (!ContainsAny(query, names))
        {
            return query;
        }
        // The result is never longer than the input.
        Span<char> result = query.Length <= 256 ? stackalloc char[256] : new char[query.Length];
        int length = 0;
        var rest = query.AsSpan();
        while (NextParameter(ref rest, out var parameter))
        {
            if (parameter.IsEmpty || IsNamed(parameter, names))
            {
                continue;
            }
            if (length > 0)
            {
                result[length++] = '&';
            }
            parameter.CopyTo(result[length..]);
            length += parameter.Length;
        }
        return length == 0 ? null : new string(result[..length]);
    }

    private static bool ContainsAny(string query, string[] names)
    {
        var rest = query.AsSpan();
        while (NextParameter(ref rest, out var parameter))
        {
            if (IsNamed(parameter, names))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsNamed(ReadOnlySpan<char> parameter, string[] names)
    {
        SplitParameter(parameter, out var key, out _);
        foreach (string name in names)
        {
            if (QueryComponent.NameEquals(key, name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Takes the next '&amp;'-separated piece; false once the query is used up.</summary>
    private static bool NextParameter(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> parameter)
    {
        if (rest.IsEmpty)
        {
            parameter = default;
            return false;
        }
        int amp = rest.IndexOf('&');
        if (amp < 0)
        {
            parameter = rest;
            rest = default;
        }
        else
        {
            parameter = rest[..amp];
            rest = rest[(amp + 1)..];
        }
        return true;
    }

    private static void SplitParameter(ReadOnlySpan<char> parameter, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        int equals = parameter.IndexOf('=');
        key = equals < 0 ? parameter : parameter[..equals];
        value = equals < 0 ? default : parameter[(equals + 1)..];
    }
}
