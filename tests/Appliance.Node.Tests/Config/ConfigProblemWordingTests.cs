using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>A refused file says what is wrong in the operator's words, not the serializer's (.NET types and members).</summary>
public class ConfigProblemWordingTests
{
    [Theory]
    [InlineData("""{ "rtmp": { "listen": "0.0.0.0:1935", "bogus": 1 } }""", "t.json: $.rtmp.bogus: unknown key; known keys here: listen, chunkSize, maxMessageBytes (line 1, column 39)")]
    [InlineData("""{ "rtmp": { "chunkSize": "big" } }""", "t.json: $.rtmp.chunkSize: must be a whole number (line 1, column 26)")]
    [InlineData("""{ "rtmp": { "chunkSize": 99999999999 } }""", "t.json: $.rtmp.chunkSize: must be a whole number in range (line 1, column 26)")]
    [InlineData("""{ "domains": [ { "apps": [ { "gopCache": 3 } ] } ] }""", "t.json: $.domains[0].apps[0].gopCache: must be true or false (line 1, column 42)")]
    [InlineData("""{ "domains": [ { "apps": [ { "push": "rtmp://x/live" } ] } ] }""", "t.json: $.domains[0].apps[0].push: must be an array (line 1, column 38)")]
    [InlineData("""{ "domains": [ { "apps": [ { "hls": 1 } ] } ] }""", "t.json: $.domains[0].apps[0].hls: must be an object (line 1, column 37)")]
    [InlineData("""{ "node": { "id": 5 } }""", "t.json: $.node.id: must be a string (line 1, column 19)")]
    public void A_refused_key_is_named_with_what_it_must_be(string json, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Broken_json_says_where()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{ \"rtmp\": { \"chunkSize\": 4096\n  \"x\": 1 } }", "t.json"));

        Assert.StartsWith("t.json: $.rtmp.chunkSize: ", error.Message);
        Assert.EndsWith("(line 2, column 3)", error.Message);
        Assert.DoesNotContain(".NET", error.Message);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once_each_with_its_line_and_column()
    {
        var json = "{\n  \"rtmp\": { \"chunkSize\": 1, \"bogus\": 2 },\n  \"domains\": [ { \"apps\": [ { \"hls\": { \"foo\": 1, \"targetDurationMs\": \"x\" } } ] } ]\n}";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));

        Assert.Equal(
            [
                "t.json: $.rtmp.bogus: unknown key; known keys here: listen, chunkSize, maxMessageBytes (line 2, column 29)",
                "t.json: $.domains[0].apps[0].hls.foo: unknown key; known keys here: enabled, targetDurationMs, windowSegments, extraSegments, minSegments, always, idleStopMs, encryption (line 3, column 39)",
                "t.json: $.domains[0].apps[0].hls.targetDurationMs: must be a whole number (line 3, column 69)",
            ],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Every_semantic_problem_says_where_its_key_is()
    {
        var json = "{\n  \"rtmp\": { \"chunkSize\": 1 },\n  \"domains\": [ { \"apps\": [ { \"flushIntervalMs\": 5000 } ] } ]\n}";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));

        Assert.Equal(
            [
                "t.json: $.rtmp.chunkSize: must be between 128 and 65536 (line 2, column 26)",
                "t.json: $.domains[0].apps[0].flushIntervalMs: must be -1 (adaptive) or between 0 and 1000 (line 3, column 49)",
            ],
            error.Message.Split(Environment.NewLine));
    }
}
