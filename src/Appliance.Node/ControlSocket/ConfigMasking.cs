using Appliance.Relay.Urls;
using System.Text.Json;
using Appliance.Node.Config;

namespace Appliance.Node.ControlSocket;

/// <summary>The effective config as JSON for the `config` command, with every secret replaced.</summary>
internal static class ConfigMasking
{
    public const string Mask = "*****";

    // Property names whose values are secrets wherever they appear (auth keys, session and HLS key secrets,
    // credentials of upstreams and directories, SRT passphrases).
    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "backupKey", "sessionSecret", "hlsKeySecret", "secret", "password", "token", "credentials", "passphrase",
    };

    public static JsonElement Effective(ApplianceConfig config)
    {
        using var document = JsonDocument.Parse(ConfigLoader.ToJson(config));
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            Copy(document.RootElement, writer, masked: false);
        }
        using var masked = JsonDocument.Parse(output.ToArray());
        return masked.RootElement.Clone();
    }

    private static void Copy(JsonElement element, Utf8JsonWriter writer, bool masked)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Copy(property.Value, writer, SecretNames.Contains(property.Name));
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Copy(item, writer, masked);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String when masked:
                writer.WriteStringValue(Mask);
                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                // Upstream and push URLs carry the node's credentials in their query.
                writer.WriteStringValue(text.Contains("://", StringComparison.Ordinal) ? Relay.Urls.UrlSyntax.MaskQueryValues(MaskUserInfo(text)) : text);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>"rtmp://user:pass@host/app" shows as "rtmp://user:*****@host/app".</summary>
    private static string MaskUserInfo(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return text;
        }
        var hostStart = scheme + 3;
        var slash = text.IndexOf('/', hostStart);
        var authority = slash < 0 ? text[hostStart..] : text[hostStart..slash];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return text;
        }
        var colon = authority.IndexOf(':');
        var user = colon >= 0 && colon < at ? authority[..colon] : authority[..at];
        return text[..hostStart] + user + ":" + Mask + text[(hostStart + at)..];
    }
}
