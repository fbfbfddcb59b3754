using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>The srt section and each app's srt: off by default, and every value libsrt would refuse is refused at load, naming its key.</summary>
public class SrtConfigTests
{
    public static TheoryData<string, string> Refusals => new()
    {
        { """{ "srt": { "listen": "nowhere:10080" } }""", "$.srt.listen: 'nowhere:10080' is not host:port" },
        { """{ "srt": { "listen": "0.0.0.0:70000" } }""", "$.srt.listen: " },
        { """{ "srt": null }""", "$.srt: must be an object" },
        { """{ "srt": { "latencyMs": 10 } }""", "$.srt.latencyMs: must be between 20 and 10000" },
        { """{ "srt": { "latencyMs": 10001 } }""", "$.srt.latencyMs: must be between 20 and 10000" },
        { """{ "srt": { "payloadSize": 1000 } }""", "$.srt.payloadSize: must be a multiple of 188" },
        { """{ "srt": { "payloadSize": 1504 } }""", "$.srt.payloadSize: must be a multiple of 188" },
        { """{ "srt": { "maxBandwidth": -1 } }""", "$.srt.maxBandwidth: must not be negative" },
        { """{ "srt": { "overheadPercent": 4 } }""", "$.srt.overheadPercent: must be between 5 and 100" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": null } ] } ] }""", "$.domains[0].apps[0].srt: must be an object" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "latencyMs": 5 } } ] } ] }""", "$.domains[0].apps[0].srt.latencyMs: must be between 20 and 10000" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "passphrase": "short" } } ] } ] }""", "$.domains[0].apps[0].srt.passphrase: must be 10 to 79 characters" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "passphrase": "{{new string('p', 80)}}" } } ] } ] }""".Replace("{{new string('p', 80)}}", new string('p', 80)), "$.domains[0].apps[0].srt.passphrase: must be 10 to 79 characters" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "passphrase": "long enough secret", "keyLength": 20 } } ] } ] }""", "$.domains[0].apps[0].srt.keyLength: must be 16, 24 or 32" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "keyLength": 16 } } ] } ] }""", "$.domains[0].apps[0].srt.keyLength: needs a passphrase" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachRuleNamesTheKeyItRefuses(string json, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));

        Assert.Contains($"config: {message}", error.Message);
    }

    [Fact]
    public void SrtIsOffByDefaultWithTheUsualLiveSettings()
    {
        var config = ConfigLoader.Parse("{}");

        Assert.Equal("", config.Srt.Listen);
        Assert.Equal((120, 1316, 0L, 25), (config.Srt.LatencyMs, config.Srt.PayloadSize, config.Srt.MaxBandwidth, config.Srt.OverheadPercent));
        var app = config.Domains[0].Apps[0];
        Assert.Equal((null, "", 0), (app.Srt.LatencyMs, app.Srt.Passphrase, app.Srt.KeyLength));
    }

    [Theory]
    [InlineData("127.0.0.1:10080")]
    [InlineData("0.0.0.0:10080")]
    [InlineData("[::]:10080")]
    [InlineData("127.0.0.1:0")]
    public void AListenAddressTurnsItOn(string listen)
    {
        var config = ConfigLoader.Parse($$"""
            { "srt": { "listen": "{{listen}}", "latencyMs": 300, "payloadSize": 188, "maxBandwidth": 1250000 },
              "domains": [ { "name": "default", "apps": [ { "name": "live", "srt": { "latencyMs": 800, "passphrase": "a passphrase of some length", "keyLength": 32 } } ] } ] }
            """);

        Assert.Equal(listen, config.Srt.Listen);
        Assert.Equal((800, "a passphrase of some length", 32), (config.Domains[0].Apps[0].Srt.LatencyMs, config.Domains[0].Apps[0].Srt.Passphrase, config.Domains[0].Apps[0].Srt.KeyLength));
    }

    [Fact]
    public void SrtUsesUdpSoItSharesAPortNumberWithATcpListener()
    {
        var config = ConfigLoader.Parse("""{ "rtmp": { "listen": "127.0.0.1:1935" }, "srt": { "listen": "127.0.0.1:1935" } }""");

        Assert.Equal("127.0.0.1:1935", config.Srt.Listen);
    }
}
