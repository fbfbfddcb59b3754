using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Node.Config;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(ApplianceConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
