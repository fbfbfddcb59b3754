using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.Node.Config;

/// <summary>
/// One read of a config file against the shape the config records declare (the serializer's own
/// metadata, so no reflection): every unknown key (with the keys known there), every value of the
/// wrong kind, every number out of range, each with its key path, line and column, all at once.
/// The deserializer would stop at the first. Also remembers where each key path is, so the
/// validator's problems can say where they are too.
/// </summary>
internal sealed class ConfigShape
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);
    private readonly List<int> _lineStarts = [0];
    private string _path = "$";

    private ConfigShape(ReadOnlySpan<byte> json)
    {
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Each problem as "$.path: what (line L, column C)", in document order.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The JSON itself is broken here; nothing after it was checked.</summary>
    public string? SyntaxError { get; private set; }

    public static ConfigShape Read(ReadOnlySpan<byte> json, JsonTypeInfo root)
    {
        var shape = new ConfigShape(json);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (reader.Read())
            {
                shape.Value(ref reader, root, "$");
            }
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? $" (line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1})" : "";
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            shape.SyntaxError = $"{shape._path}: {(cut > 0 ? message[..cut] : message).TrimEnd('.', ' ')}{at}";
        }
        catch (InvalidOperationException)
        {
            // A key or string escaping half a surrogate pair is no text at all.
            var (line, column) = shape.Position(reader.TokenStartIndex);
            shape.SyntaxError = $"{shape._path}: not valid text (an escaped half of a surrogate pair) (line {line}, column {column})";
        }
        return shape;
    }

    /// <summary>" (line L, column C)" for a key path the file holds, else "".</summary>
    public string Where(string path) =>
        _positions.TryGetValue(path, out var at) ? $" (line {at.Line}, column {at.Column})" : "";

    /// <summary>Checks the value the reader is on against <paramref name="expected"/>, and everything inside it.</summary>
    private void Value(ref Utf8JsonReader reader, JsonTypeInfo expected, string path)
    {
        _path = path;
        _positions.TryAdd(path, Position(reader.TokenStartIndex));
        var type = Nullable.GetUnderlyingType(expected.Type) ?? expected.Type;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            // Null means "not set" to the records; the validator says where that is not allowed.
            return;
        }
        if (expected.Kind == JsonTypeInfoKind.Object)
        {
            if (token != JsonTokenType.StartObject)
            {
                Problem(path, "must be an object", reader.TokenStartIndex);
                reader.Skip();
                return;
            }
            Object(ref reader, expected, path);
        }
        else if (expected.Kind == JsonTypeInfoKind.Dictionary)
        {
            if (token != JsonTokenType.StartObject)
            {
                Problem(path, "must be an object", reader.TokenStartIndex);
                reader.Skip();
                return;
            }
            // Any key (a name the user chooses), each value of the element type.
            var element = expected.Options.GetTypeInfo(expected.ElementType!);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var child = $"{path}.{reader.GetString()}";
                reader.Read();
                Value(ref reader, element, child);
            }
        }
        else if (expected.Kind == JsonTypeInfoKind.Enumerable)
        {
            if (token != JsonTokenType.StartArray)
            {
                Problem(path, "must be an array", reader.TokenStartIndex);
                reader.Skip();
                return;
            }
            var element = expected.Options.GetTypeInfo(expected.ElementType!);
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Value(ref reader, element, $"{path}[{index++}]");
            }
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            var fits = token == JsonTokenType.Number && (type == typeof(int) ? reader.TryGetInt32(out _) : reader.TryGetInt64(out _));
            if (!fits)
            {
                Problem(path, token == JsonTokenType.Number ? "must be a whole number in range" : "must be a whole number", reader.TokenStartIndex);
            }
        }
        else if (type == typeof(double))
        {
            Check(token == JsonTokenType.Number, path, "must be a number", reader.TokenStartIndex);
        }
        else if (type == typeof(bool))
        {
            Check(token is JsonTokenType.True or JsonTokenType.False, path, "must be true or false", reader.TokenStartIndex);
        }
        else if (type == typeof(string))
        {
            Check(token == JsonTokenType.String, path, "must be a string", reader.TokenStartIndex);
        }
        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && expected.Kind is not (JsonTypeInfoKind.Object or JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary))
        {
            reader.Skip();
        }
    }

    private void Object(ref Utf8JsonReader reader, JsonTypeInfo expected, string path)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var keyAt = reader.TokenStartIndex;
            var property = Find(expected, name);
            var child = $"{path}.{name}";
            _path = child;
            reader.Read();
            if (property is null)
            {
                var known = string.Join(", ", expected.Properties.Select(p => p.Name));
                Problem(child, $"unknown key; known keys here: {known}", keyAt);
                reader.Skip();
                continue;
            }
            Value(ref reader, expected.Options.GetTypeInfo(property.PropertyType), child);
        }
    }

    private static JsonPropertyInfo? Find(JsonTypeInfo type, string name)
    {
        foreach (var property in type.Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }
        return null;
    }

    private void Check(bool ok, string path, string problem, long offset)
    {
        if (!ok)
        {
            Problem(path, problem, offset);
        }
    }

    private void Problem(string path, string problem, long offset)
    {
        var (line, column) = Position(offset);
        Problems.Add($"{path}: {problem} (line {line}, column {column})");
    }

    private (int Line, int Column) Position(long offset)
    {
        var index = _lineStarts.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, (int)offset - _lineStarts[line] + 1);
    }
}
