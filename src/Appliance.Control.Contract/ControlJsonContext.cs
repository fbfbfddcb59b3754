using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Control.Contract;

/// <summary>Source-generated (AOT-safe) JSON for the control protocol, one compact object per line.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
