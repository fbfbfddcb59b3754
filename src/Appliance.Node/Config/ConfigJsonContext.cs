using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Auth.Config;
using Appliance.Relay.Config;
using Appliance.Streaming.Settings;

namespace Appliance.Node.Config;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(ApplianceConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
