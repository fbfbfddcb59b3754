using System.Text.Json;

namespace Appliance.Node.Config;

/// <summary>
/// Finds keys given twice in one JSON object. The deserializer would keep the last silently, so an
/// operator who edits the first of two "listen" keys would see no effect; one read of the tokens
/// before deserializing finds every duplicate with its key path.
/// </summary>
internal static class DuplicateKeys
{
    /// <summary>The key path of every repeated key ("$.rtmp.listen"), in document order. Stops at the first syntax error, which the deserializer reports.</summary>
    public static List<string> Find(ReadOnlySpan<byte> utf8Json)
    {
        var found = new List<string>();
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var scopes = new List<Scope>();
        try
        {
            while (reader.Read())
            {
                var top = scopes.Count > 0 ? scopes[^1] : null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        top!.Key = reader.GetString()!;
                        if (!top.Keys!.Add(top.Key))
                        {
                            found.Add(Member(top.Path, top.Key));
                        }
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        scopes.Add(new Scope(PathOfValue(top), reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scopes.RemoveAt(scopes.Count - 1);
                        Advance(scopes.Count > 0 ? scopes[^1] : null);
                        break;
                    default:
                        Advance(top);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a key escaping half a surrogate pair: Deserialize reports it with its own path and wording.
        }
        return found;
    }

    private static string PathOfValue(Scope? parent) => parent switch
    {
        null => "$",
        { Keys: null } => $"{parent.Path}[{parent.Index}]",
        _ => Member(parent.Path, parent.Key),
    };

    /// <summary>An array counts its items; an object's next value gets its key from the next property name.</summary>
    private static void Advance(Scope? scope)
    {
        if (scope is { Keys: null })
        {
            scope.Index++;
        }
    }

    /// <summary>Spelled like System.Text.Json's JsonException.Path: $.name, or $['odd name'].</summary>
    private static string Member(string path, string key) =>
        key.Length > 0 && key.AsSpan().IndexOfAny(SpecialCharacters) < 0 ? $"{path}.{key}" : $"{path}['{key}']";

    private static readonly System.Buffers.SearchValues<char> SpecialCharacters =
        System.Buffers.SearchValues.Create(". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");

    private sealed class Scope(string path, bool isObject)
    {
        public string Path { get; } = path;

        /// <summary>The keys seen so far in an object; null for an array.</summary>
        public HashSet<string>? Keys { get; } = isObject ? new HashSet<string>(StringComparer.Ordinal) : null;

        public string Key { get; set; } = "";

        public int Index { get; set; }
    }
}
