using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Relay.Config;

/// <summary>
/// Reads a push target written as a URL string or as <c>{ "url", "caFile", "pinSha256" }</c>, and
/// writes it back the short way when it has no TLS settings, so a config that used strings reads
/// the same in `appliancectl config`.
/// </summary>
public sealed class PushTargetConfigJsonConverter : JsonConverter<PushTargetConfig>
{
    private const string Shape = "must be an rtmp://, rtmps:// or srt:// URL string, or an object with url and optionally caFile and pinSha256";

    public override PushTargetConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new PushTargetConfig { Url = reader.GetString()! };
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException(Shape);
        }
        var target = new PushTargetConfig();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "url":
                    target.Url = ReadString(ref reader, name) ?? "";
                    break;
                case "caFile":
                    target.CaFile = ReadString(ref reader, name);
                    break;
                case "pinSha256":
                    target.PinSha256 = ReadString(ref reader, name);
                    break;
                default:
                    throw new JsonException($"unknown key '{name}' in a push target (it takes url, caFile and pinSha256)");
            }
        }
        return target;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"the push target's {name} must be a string"),
    };

    public override void Write(Utf8JsonWriter writer, PushTargetConfig value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.CaFile is null && value.PinSha256 is null)
        {
            writer.WriteStringValue(value.Url);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("url", value.Url);
        if (value.CaFile is not null)
        {
            writer.WriteString("caFile", value.CaFile);
        }
        if (value.PinSha256 is not null)
        {
            writer.WriteString("pinSha256", value.PinSha256);
        }
        writer.WriteEndObject();
    }
}
