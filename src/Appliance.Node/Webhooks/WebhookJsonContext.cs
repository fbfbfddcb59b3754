using System.Text.Json.Serialization;

namespace Appliance.Node.Webhooks;

/// <summary>The event body's serializer, source-generated (Native AOT); keys that do not apply are left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookEvent))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
