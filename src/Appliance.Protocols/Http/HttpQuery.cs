namespace Appliance.Protocols.Http;

/// <summary>Reads a raw query string ("a=1&amp;b=2") such as <see cref="HttpRequest.Query"/>.</summary>
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
