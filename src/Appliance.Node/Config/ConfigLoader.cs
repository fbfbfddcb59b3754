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
        var duplicates = DuplicateKeys.Find(System.Text.Encoding.UTF8.GetBytes(json));
        if (duplicates.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, duplicates.Select(path => $"{source}: {path}: duplicate key")));
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
        ConfigValidator.Validate(config, source);
        return config;
    }

    public static string ToJson(ApplianceConfig config) =>
        JsonSerializer.Serialize(config, ConfigJsonContext.Default.ApplianceConfig);
}
