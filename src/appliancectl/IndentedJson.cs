using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Ctl;

/// <summary>Pretty-prints the config for people (source-generated, AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class IndentedJson : JsonSerializerContext;
