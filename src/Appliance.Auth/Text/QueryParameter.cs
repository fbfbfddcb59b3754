namespace Appliance.Auth.Text;

/// <summary>
/// Finds a query parameter's raw value without allocating. Values stay as they arrived because
/// the schemes hash them that way; names are compared raw, since configured names are plain.
/// </summary>
internal static class QueryParameter
{
    /// <summary>The raw value of the first parameter named <paramref name="name"/> ("" for "name" or "name=").</summary>
    public static bool TryGet(string? query, string name, out ReadOnlySpan<char> value)
    {
        value = default;
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }
        var rest = query.AsSpan();
        if (rest[0] == '?')
        {
            rest = rest[1..];
        }
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            var parameter = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            if (parameter.StartsWith(name, StringComparison.Ordinal)
                && (parameter.Length == name.Length || parameter[name.Length] == '='))
            {
                value = parameter.Length == name.Length ? default : parameter[(name.Length + 1)..];
                return true;
            }
        }
        return false;
    }
}
