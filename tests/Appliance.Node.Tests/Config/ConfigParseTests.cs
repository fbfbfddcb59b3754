using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

public class ConfigParseTests
{
    [Fact]
    public void TheEmbeddedDefaultRoundTripsThroughJson()
    {
        var json = ConfigLoader.ToJson(new ApplianceConfig());

        var parsed = ConfigLoader.Parse(json);

        Assert.Equal(json, ConfigLoader.ToJson(parsed));
        Assert.Equal("0.0.0.0:1935", parsed.Rtmp.Listen);
        Assert.Equal("0.0.0.0:8080", parsed.Http.Listen);
        var domain = Assert.Single(parsed.Domains);
        Assert.Equal("default", domain.Name);
        Assert.Equal("live", Assert.Single(domain.Apps).Name);
    }

    [Fact]
    public void KeysAreCamelCase()
    {
        var json = ConfigLoader.ToJson(new ApplianceConfig());

        Assert.Contains("\"chunkSize\": 4096", json);
        Assert.Contains("\"onPublisherConflict\": \"refuse\"", json);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        const string json = """
            {
              // RTMP on a non-default port
              "rtmp": { "listen": "127.0.0.1:1936", "chunkSize": 8192, },
              /* one domain, two apps */
              "domains": [
                { "name": "default", "apps": [ { "name": "live" }, { "name": "event", "gopCache": false, }, ], },
              ],
            }
            """;

        var config = ConfigLoader.Parse(json);

        Assert.Equal("127.0.0.1:1936", config.Rtmp.Listen);
        Assert.Equal(8192, config.Rtmp.ChunkSize);
        Assert.False(config.Domains[0].Apps[1].GopCache);
        Assert.True(config.Domains[0].Apps[0].GopCache);
    }

    [Fact]
    public void TheCmafSectionHasItsDefaultsAndItsKeysAreKnownToTheShapeCheck()
    {
        var defaults = ConfigLoader.ToJson(new ApplianceConfig());
        Assert.Contains("\"cmaf\": {", defaults);
        Assert.Contains("\"partTargetMs\": 220", defaults);

        var app = ConfigLoader.Parse("""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "enabled": false, "partTargetMs": 1000 } } ] } ] }""").Domains[0].Apps[0];

        Assert.Equal((false, 1000, 10_000), (app.Cmaf.Enabled, app.Cmaf.PartTargetMs, app.Cmaf.MaxHeldRequests));
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "partTarget": 200 } } ] } ] }"""));
        Assert.Contains("$.domains[0].apps[0].cmaf.partTarget: unknown key; known keys here: enabled, partTargetMs, maxHeldRequests", error.Message);
    }

    [Fact]
    public void MaxHeldRequestsPerIpIsALimitWithItsDefault()
    {
        Assert.Contains("\"maxHeldRequestsPerIp\": 100", ConfigLoader.ToJson(new ApplianceConfig()));

        Assert.Equal(0, ConfigLoader.Parse("""{ "limits": { "maxHeldRequestsPerIp": 0 } }""").Limits.MaxHeldRequestsPerIp);
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "limits": { "maxHeldRequestsPerIP": 5 } }"""));
        Assert.Contains("$.limits.maxHeldRequestsPerIP: unknown key; known keys here: maxConnections, maxConnectionsPerIp, httpRequestsPerSecondPerIp, maxHlsSessions, maxHeldRequestsPerIp", error.Message);
    }

    [Fact]
    public void AnEmptyObjectIsTheDefault()
    {
        var config = ConfigLoader.Parse("{}");

        Assert.Equal(ConfigLoader.ToJson(new ApplianceConfig()), ConfigLoader.ToJson(config));
    }

    [Fact]
    public void AnUnknownKeyIsRefusedNamingItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "chunkSzie": 4096 } }""", "test.json"));

        Assert.Contains("$.rtmp.chunkSzie", error.Message);
        Assert.StartsWith("test.json: ", error.Message);
    }

    [Fact]
    public void AWrongTypeIsRefusedNamingItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "chunkSize": "big" } }"""));

        Assert.Contains("$.rtmp.chunkSize", error.Message);
    }

    [Fact]
    public void AWrongTypeInsideAnArrayNamesTheElement()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "gopCache": "yes" } ] } ] }"""));

        Assert.Contains("$.domains[0].apps[0].gopCache", error.Message);
    }

    [Fact]
    public void BrokenJsonIsRefused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": """));

        Assert.StartsWith("config: $", error.Message);
    }

    [Fact]
    public void ANullDocumentIsRefused()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("null"));

        Assert.Contains("must be a JSON object", error.Message);
    }

    [Fact]
    public void AMissingFileIsRefusedNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-config-{Guid.NewGuid():N}.json");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.StartsWith($"{path}: cannot read", error.Message);
    }
}
