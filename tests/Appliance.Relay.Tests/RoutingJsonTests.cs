using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Relay.Config;
using Appliance.Relay.Routing;

namespace Appliance.Relay.Tests;

/// <summary>The config and DTO types work with source-generated System.Text.Json under the config's own options (no reflection).</summary>
public sealed partial class RoutingJsonTests
{
    [Fact]
    public void AnUpstreamReadsFromCamelCaseJsonAndUnknownKeysAreErrors()
    {
        var upstream = JsonSerializer.Deserialize(
            """{ "url": "rtmp://parent/live", "weight": 3, "priority": 1, "healthUrl": "http://parent:8080/api/health", "name": "private", }""",
            RoutingJsonContext.Default.UpstreamConfig)!;

        Assert.Equal(("rtmp://parent/live", 3, 1, "http://parent:8080/api/health", "private"), (upstream.Url, upstream.Weight, upstream.Priority, upstream.HealthUrl, upstream.Name));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{ "url": "rtmp://p/live", "wieght": 3 }""", RoutingJsonContext.Default.UpstreamConfig));
    }

    [Fact]
    public void DefaultsApplyToOmittedKeys()
    {
        var upstream = JsonSerializer.Deserialize("""{ "url": "rtmp://parent/live" }""", RoutingJsonContext.Default.UpstreamConfig)!;

        Assert.Equal((1, 0, null, null), (upstream.Weight, upstream.Priority, upstream.HealthUrl, upstream.Name));
    }

    [Fact]
    public void TheRoutesTableWritesAsJson()
    {
        var routes = new UpstreamRoutes(clock: () => 0);
        routes.Update([new("default", "live", [new UpstreamConfig { Url = "rtmp://parent/live" }])]);
        routes.NoteChoice(new("default", "live", "cam"), routes.Candidates("default", "live")[0]);

        var json = JsonSerializer.Serialize(routes.Snapshot(), RoutingJsonContext.Default.IReadOnlyListUpstreamRouteInfo);

        using var document = JsonDocument.Parse(json);
        var row = document.RootElement[0];
        Assert.Equal("rtmp://parent:1935/live", row.GetProperty("url").GetString());
        Assert.Equal("rtmp", row.GetProperty("protocol").GetString());
        Assert.Equal("cam", row.GetProperty("streams")[0].GetString());
        Assert.Equal(200, row.GetProperty("health").GetProperty("cost").GetDouble());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("health").GetProperty("rttMs").ValueKind);
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
    [JsonSerializable(typeof(UpstreamConfig))]
    [JsonSerializable(typeof(IReadOnlyList<UpstreamRouteInfo>))]
    internal sealed partial class RoutingJsonContext : JsonSerializerContext;
}
