using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

public sealed class DirectoryConfigTests
{
    [Theory]
    [InlineData("\"directory\": null", "$.directory: must be an object")]
    [InlineData("\"directory\": { \"redis\": \"redis.example:6379/0\" }", "$.directory.redis: must be host:port, without a scheme or path")]
    [InlineData("\"directory\": { \"redis\": \"redis://10.0.0.5:6379\" }", "$.directory.redis: ")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5:99999\" }", "$.directory.redis: has an invalid port")]
    [InlineData("\"directory\": { \"redis\": \"user@10.0.0.5:6379\" }", "$.directory.redis: must not carry credentials")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5 6379\" }", "$.directory.redis: contains a space")]
    [InlineData("\"directory\": { \"redis\": null }", "$.directory.redis: must be host:port, or empty to turn the directory off")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": \"rtmp://10.0.0.1:1935/live\" }", "$.directory.advertise: must not name an app")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": \"rtmp://10.0.0.1:1935?token=x\" }", "$.directory.advertise: must not carry a query")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": \"http://10.0.0.1:8080/live/cam.flv\" }", "$.directory.advertise: needs {stream} in its path")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": \"rtmpt://10.0.0.1\" }", "$.directory.advertise: rtmpt is not supported")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": \"10.0.0.1:1935\" }", "$.directory.advertise: must start with rtmp://, rtmps://, http://, https:// or srt://")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"advertise\": null }", "$.directory.advertise: must be an upstream URL, or empty to register nothing")]
    [InlineData("\"directory\": { \"advertise\": \"rtmp://10.0.0.1:1935\" }", "$.directory.advertise: is set but directory.redis is empty")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"ttlMs\": 1000 }", "$.directory.ttlMs: must be between 3000 and 600000")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"ttlMs\": 600001 }", "$.directory.ttlMs: must be between 3000 and 600000")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"lookupTimeoutMs\": 5 }", "$.directory.lookupTimeoutMs: must be between 10 and 5000")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"lookupTimeoutMs\": 5001 }", "$.directory.lookupTimeoutMs: must be between 10 and 5000")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"keyPrefix\": \"cdn a:\" }", "$.directory.keyPrefix: must be at most 64 printable ASCII characters without spaces")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"keyPrefix\": \"caf\u00e9:\" }", "$.directory.keyPrefix: must be at most 64")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"keyPrefix\": null }", "$.directory.keyPrefix: must be at most 64")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"keyPrefix\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" }", "$.directory.keyPrefix: must be at most 64")]
    [InlineData("\"directory\": { \"redis\": \"10.0.0.5\", \"server\": \"x\" }", "$.directory.server: unknown key")]
    public void Bad_directory_settings_are_refused_with_their_key_path(string json, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{ " + json + " }", "t.json"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_directory_is_off_by_default_and_apps_use_it_once_it_is_on()
    {
        var config = ConfigLoader.Parse("{}");

        Assert.Equal("", config.Directory.Redis);
        Assert.Equal("", config.Directory.Advertise);
        Assert.Equal(15_000, config.Directory.TtlMs);
        Assert.Equal(200, config.Directory.LookupTimeoutMs);
        Assert.Equal("appliance:", config.Directory.KeyPrefix);
        Assert.True(config.Domains[0].Apps[0].Pull.Directory);
    }

    [Theory]
    [InlineData("10.0.0.5:6379", "rtmp://10.0.0.1:1935/{app}")]
    [InlineData("redis.internal", "rtmp://upper-1.example")]
    [InlineData("[fd00::5]:6380", "http://upper-1.example:8080/{app}/{stream}.flv")]
    [InlineData("localhost:6379", "")]
    public void Usable_directories_are_accepted(string redis, string advertise)
    {
        var config = ConfigLoader.Parse($$"""
            { "directory": { "redis": "{{redis}}", "advertise": "{{advertise}}", "ttlMs": 5000, "keyPrefix": "cdn-a:" },
              "domains": [ { "name": "default", "apps": [ { "name": "live", "pull": { "directory": false } } ] } ] }
            """);

        Assert.Equal(redis, config.Directory.Redis);
        Assert.Equal(advertise, config.Directory.Advertise);
        Assert.False(config.Domains[0].Apps[0].Pull.Directory);
    }
}
