using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>A key given twice in one object is refused: otherwise the last would win silently.</summary>
public class DuplicateKeyTests
{
    public static TheoryData<string, string> Duplicates => new()
    {
        { """{ "rtmp": { "listen": "127.0.0.1:1935" }, "rtmp": { "chunkSize": 8192 } }""", "$.rtmp" },
        { """{ "rtmp": { "listen": "127.0.0.1:1935", "listen": "127.0.0.1:1936" } }""", "$.rtmp.listen" },
        { """{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "targetDurationMs": 2000, "targetDurationMs": 4000 } } ] } ] }""", "$.domains[0].apps[0].hls.targetDurationMs" },
        { """{ "domains": [ { "name": "a.example" }, { "name": "b.example", "apps": [ { "name": "x" }, { "name": "y", "gopCache": true, "gopCache": false } ] } ] }""", "$.domains[1].apps[1].gopCache" },
        // An escape spells the same key: the deserializer would treat both as "listen".
        { """{ "http": { "listen": "127.0.0.1:8080", "list\u0065n": "127.0.0.1:8081" } }""", "$.http.listen" },
        // A duplicate of an unknown key: the path is spelled as System.Text.Json spells it.
        { """{ "log": { "a b": 1, "a b": 2 } }""", "$.log['a b']" },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public void ADuplicateKeyIsRefusedNamingItsPath(string json, string path)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "test.json"));

        Assert.Equal($"test.json: {path}: duplicate key", error.Message);
    }

    [Fact]
    public void CommentsAndTrailingCommasDoNotHideADuplicate()
    {
        const string json = """
            {
              // the node
              "rtmp": { "listen": "127.0.0.1:1935", /* first */ },
              "admin": { "listen": "", },
              "rtmp": { /* second */ "listen": "127.0.0.1:1936", },
            }
            """;

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));

        Assert.Equal("config: $.rtmp: duplicate key", error.Message);
    }

    [Fact]
    public void EveryDuplicateIsReportedAtOnce()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            """{ "rtmp": { "chunkSize": 4096, "chunkSize": 8192 }, "http": { "listen": "127.0.0.1:1", "listen": "127.0.0.1:2", "listen": "127.0.0.1:3" } }"""));

        Assert.Equal(
            ["config: $.rtmp.chunkSize: duplicate key", "config: $.http.listen: duplicate key", "config: $.http.listen: duplicate key"],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void TheSameKeyInSiblingObjectsAndKeysDifferingInCaseAreNotDuplicates()
    {
        var config = ConfigLoader.Parse("""
            {
              "rtmp": { "listen": "127.0.0.1:0" },
              "http": { "listen": "127.0.0.1:0" },
              "domains": [ { "name": "default", "apps": [ { "name": "live" }, { "name": "event", "hls": { "enabled": false } } ] } ],
            }
            """);

        Assert.Equal(["live", "event"], config.Domains[0].Apps.Select(a => a.Name));
        // "Listen" is not "listen": it is an unknown key, refused as such, not as a duplicate.
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "listen": "127.0.0.1:0", "Listen": "127.0.0.1:1" } }"""));
        Assert.Contains("$.rtmp.Listen", error.Message);
        Assert.DoesNotContain("duplicate", error.Message);
    }

    [Fact]
    public void AKeyEscapingHalfASurrogatePairIsRefusedAsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "\uD800": 1, "\uD800": 2 } }"""));

        Assert.StartsWith("config: $.rtmp", error.Message);
    }

    [Fact]
    public void BrokenJsonAfterTheFirstKeysIsReportedAsBrokenNotAsADuplicate()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "rtmp": { "listen": "127.0.0.1:0", "chunkSize": } }"""));

        Assert.StartsWith("config: $.rtmp.chunkSize: ", error.Message);
        Assert.DoesNotContain("duplicate", error.Message);
    }
}
