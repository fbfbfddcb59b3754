using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

public class ConfigValidationTests
{
    public static TheoryData<string, string> Refusals => new()
    {
        { """{ "rtmp": { "listen": "nowhere:1935" } }""", "$.rtmp.listen" },
        { """{ "http": { "listen": "0.0.0.0:99999" } }""", "$.http.listen" },
        { """{ "rtmp": { "chunkSize": 10 } }""", "$.rtmp.chunkSize" },
        { """{ "rtmp": { "maxMessageBytes": 1000 } }""", "$.rtmp.maxMessageBytes" },
        { """{ "deadlines": { "idleMs": 0 } }""", "$.deadlines.idleMs" },
        { """{ "log": { "level": "loud" } }""", "$.log.level" },
        { """{ "domains": [] }""", "$.domains" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "li/ve" } ] } ] }""", "$.domains[0].apps[0].name" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live" }, { "name": "live" } ] } ] }""", "$.domains[0].apps[1].name" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "onPublisherConflict": "maybe" } ] } ] }""", "$.domains[0].apps[0].onPublisherConflict" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": -2 } ] } ] }""", "$.domains[0].apps[0].flushIntervalMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": 1001 } ] } ] }""", "$.domains[0].apps[0].flushIntervalMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": "auto" } ] } ] }""", "$.domains[0].apps[0].flushIntervalMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxViewerLagMs": 10 } ] } ] }""", "$.domains[0].apps[0].maxViewerLagMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxViewerUnsentBytes": 1024 } ] } ] }""", "$.domains[0].apps[0].maxViewerUnsentBytes" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxViewerUnsentBytes": -1 } ] } ] }""", "$.domains[0].apps[0].maxViewerUnsentBytes" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxViewerUnsentBytes": 16777217 } ] } ] }""", "$.domains[0].apps[0].maxViewerUnsentBytes" },
        { """{ "domains": [ { "name": "default", "apps": [] } ] }""", "$.domains[0].apps" },
        { """{ "domains": [ { "name": "a.example" }, { "name": "b.example", "aliases": [ "A.EXAMPLE" ] } ] }""", "$.domains[1].aliases[0]" },
        { """{ "rtmp": null }""", "$.rtmp" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinBufferMs": -1 } ] } ] }""", "$.domains[0].apps[0].joinBufferMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinMode": "edge" } ] } ] }""", "$.domains[0].apps[0].joinMode" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinMode": "" } ] } ] }""", "$.domains[0].apps[0].joinMode" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinMode": null } ] } ] }""", "$.domains[0].apps[0].joinMode" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinMode": "Live" } ] } ] }""", "$.domains[0].apps[0].joinMode" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinBurstMs": -1 } ] } ] }""", "$.domains[0].apps[0].joinBurstMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinBurstMs": 5001 } ] } ] }""", "$.domains[0].apps[0].joinBurstMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "browserJoinBurstMs": -1 } ] } ] }""", "$.domains[0].apps[0].browserJoinBurstMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "browserJoinBurstMs": 5001 } ] } ] }""", "$.domains[0].apps[0].browserJoinBurstMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxViewersPerStream": -1 } ] } ] }""", "$.domains[0].apps[0].maxViewersPerStream" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "maxPublishers": -1 } ] } ] }""", "$.domains[0].apps[0].maxPublishers" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "targetDurationMs": 100 } } ] } ] }""", "$.domains[0].apps[0].hls.targetDurationMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "windowSegments": 1 } } ] } ] }""", "$.domains[0].apps[0].hls.windowSegments" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "extraSegments": -1 } } ] } ] }""", "$.domains[0].apps[0].hls.extraSegments" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "minSegments": 7 } } ] } ] }""", "$.domains[0].apps[0].hls.minSegments" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "idleStopMs": 10 } } ] } ] }""", "$.domains[0].apps[0].hls.idleStopMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": null } ] } ] }""", "$.domains[0].apps[0].hls" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": null } ] } ] }""", "$.domains[0].apps[0].cmaf" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "partTargetMs": 99 } } ] } ] }""", "$.domains[0].apps[0].cmaf.partTargetMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "partTargetMs": 1001 } } ] } ] }""", "$.domains[0].apps[0].cmaf.partTargetMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "targetDurationMs": 500 }, "cmaf": { "partTargetMs": 300 } } ] } ] }""", "$.domains[0].apps[0].cmaf.partTargetMs" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "maxHeldRequests": 0 } } ] } ] }""", "$.domains[0].apps[0].cmaf.maxHeldRequests" },
        { """{ "cache": { "maxBytes": 10 } }""", "$.cache.maxBytes" },
        { """{ "transport": { "send": "uring" } }""", "$.transport.send" },
        { """{ "transport": { "send": "" } }""", "$.transport.send" },
        { """{ "transport": { "send": "EPOLL" } }""", "$.transport.send" },
        { """{ "transport": { "zeroCopyMinBytes": 100 } }""", "$.transport.zeroCopyMinBytes" },
        { """{ "transport": null }""", "$.transport" },
        { """{ "limits": { "maxConnections": -1 } }""", "$.limits.maxConnections" },
        { """{ "limits": { "maxConnectionsPerIp": -1 } }""", "$.limits.maxConnectionsPerIp" },
        { """{ "limits": { "httpRequestsPerSecondPerIp": -1 } }""", "$.limits.httpRequestsPerSecondPerIp" },
        { """{ "limits": { "maxHeldRequestsPerIp": -1 } }""", "$.limits.maxHeldRequestsPerIp" },
        { """{ "security": { "sessionSecret": "not hex at all, and long enough!!" } }""", "$.security.sessionSecret" },
        { """{ "security": { "sessionSecret": "abcd" } }""", "$.security.sessionSecret" },
        { """{ "domains": [ { "name": "example.com:8080" } ] }""", "$.domains[0].name" },
        { """{ "domains": [ { "name": "a.example", "aliases": [ "http://b.example" ] } ] }""", "$.domains[0].aliases[0]" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachRuleNamesThePathItRefuses(string json, string path)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));

        Assert.Contains($"config: {path}: ", error.Message);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "chunkSize": 10, "listen": "x" } }"""));

        Assert.Contains("$.rtmp.chunkSize", error.Message);
        Assert.Contains("$.rtmp.listen", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("[::]:1935")]
    [InlineData("localhost:1935")]
    public void UsableListenAddressesAreAccepted(string listen)
    {
        var config = ConfigLoader.Parse($$"""{ "rtmp": { "listen": "{{listen}}" } }""");

        Assert.Equal(listen, config.Rtmp.Listen);
    }

    [Theory]
    [InlineData("live", 0)]
    [InlineData("keyframe", 100)]
    [InlineData("buffer", 5000)]
    public void EachJoinModeIsAccepted(string mode, int burstMs)
    {
        var config = ConfigLoader.Parse($$"""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "joinMode": "{{mode}}", "joinBurstMs": {{burstMs}} } ] } ] }""");

        Assert.Equal(mode, config.Domains[0].Apps[0].JoinMode);
        Assert.Equal(burstMs, config.Domains[0].Apps[0].JoinBurstMs);
    }

    [Theory]
    [InlineData("-1", -1)]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    [InlineData("1000", 1000)]
    public void FlushIntervalTakesAdaptiveAtOnceOrAFixedInterval(string json, int expected)
    {
        var config = ConfigLoader.Parse($$"""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": {{json}} } ] } ] }""");

        Assert.Equal(expected, config.Domains[0].Apps[0].FlushIntervalMs);
    }

    [Theory]
    [InlineData("epoll")]
    [InlineData("io_uring")]
    [InlineData("auto")]
    public void EachSendTransportIsAccepted(string send)
    {
        var config = ConfigLoader.Parse($$"""{ "transport": { "send": "{{send}}", "zeroCopyMinBytes": 65536 } }""");

        Assert.Equal(send, config.Transport.Send);
        Assert.Equal(65536, config.Transport.ZeroCopyMinBytes);
    }

    [Fact]
    public void ABadSendTransportSaysWhichValuesThereAre()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "transport": { "send": "uring" } }"""));

        Assert.Contains("$.transport.send: 'uring' is not one of epoll, io_uring, auto", error.Message);
    }

    [Fact]
    public void TheEmbeddedDefaultWritesWithEpoll() => Assert.Equal("epoll", new ApplianceConfig().Transport.Send);

    [Fact]
    public void AnAppWithoutFlushIntervalBatchesAdaptively()
    {
        var config = ConfigLoader.Parse("""{ "domains": [ { "name": "default", "apps": [ { "name": "live" } ] } ] }""");

        Assert.Equal(-1, config.Domains[0].Apps[0].FlushIntervalMs);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[ null ]")]
    public void ANullAliasIsRefusedOrHarmless(string aliases)
    {
        ApplianceConfig config;
        try
        {
            config = ConfigLoader.Parse($$"""{ "domains": [ { "name": "default", "aliases": {{aliases}} } ] }""");
        }
        catch (ConfigException error)
        {
            Assert.Contains("$.domains[0].aliases", error.Message);
            return;
        }

        var domains = new DomainTable(config);

        Assert.Equal("default", domains.FindDomain("anything")!.Name);
    }
}
