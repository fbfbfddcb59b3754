using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>A refused file says what is wrong in the operator's words, not the serializer's (.NET types and members).</summary>
public class ConfigProblemWordingTests
{
    [Theory]
    [InlineData("""{ "rtmp": { "listen": "0.0.0.0:1935", "bogus": 1 } }""", "t.json: $.rtmp.bogus: unknown key")]
    [InlineData("""{ "rtmp": { "chunkSize": "big" } }""", "t.json: $.rtmp.chunkSize: must be a whole number in range")]
    [InlineData("""{ "rtmp": { "chunkSize": 99999999999 } }""", "t.json: $.rtmp.chunkSize: must be a whole number in range")]
    [InlineData("""{ "domains": [ { "apps": [ { "gopCache": 3 } ] } ] }""", "t.json: $.domains[0].apps[0].gopCache: must be true or false")]
    [InlineData("""{ "domains": [ { "apps": [ { "push": "rtmp://x/live" } ] } ] }""", "t.json: $.domains[0].apps[0].push: must be an array")]
    [InlineData("""{ "domains": [ { "apps": [ { "hls": 1 } ] } ] }""", "t.json: $.domains[0].apps[0].hls: must be an object")]
    [InlineData("""{ "node": { "id": 5 } }""", "t.json: $.node.id: must be a string")]
    public void A_refused_key_is_named_with_what_it_must_be(string json, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Broken_json_says_on_which_line()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{ \"rtmp\": { \"chunkSize\": 4096\n  \"x\": 1 } }", "t.json"));

        Assert.StartsWith("t.json: $.rtmp: ", error.Message);
        Assert.EndsWith("(line 2)", error.Message);
        Assert.DoesNotContain(".NET", error.Message);
    }
}
