using System.Text.Json;

namespace Appliance.Node.Config;

/// <summary>Reads and validates config; a bad file never half-applies.</summary>
public static class ConfigLoader
{
    public static ApplianceConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read: {ex.Message}");
        }
        return Parse(text, path);
    }

    public static ApplianceConfig Parse(string json, string source = "config")
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        var duplicates = DuplicateKeys.Find(utf8);
        if (duplicates.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, duplicates.Select(path => $"{source}: {path}: duplicate key")));
        }
        // Every unknown key and wrong kind of value at once, with lines and columns; the
        // deserializer would stop at the first, in its own words.
        var shape = ConfigShape.Read(utf8, ConfigJsonContext.Default.ApplianceConfig);
        if (shape.SyntaxError is { } syntax)
        {
            throw new ConfigException($"{source}: {syntax}");
        }
        if (shape.Problems.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, shape.Problems.Select(problem => $"{source}: {problem}")));
        }
        ApplianceConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.ApplianceConfig);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            throw new ConfigException($"{source}: {path}: {JsonProblem.Describe(ex)}");
        }
        if (config is null)
        {
            throw new ConfigException($"{source}: $: the config must be a JSON object");
        }
        ConfigValidator.Validate(config, source, shape.Where);
        return config;
    }

    public static string ToJson(ApplianceConfig config) =>
        JsonSerializer.Serialize(config, ConfigJsonContext.Default.ApplianceConfig);
}
