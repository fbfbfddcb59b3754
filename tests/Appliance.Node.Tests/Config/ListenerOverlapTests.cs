using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

/// <summary>Two listeners on one port could not both bind, so --check-config and reload refuse them.</summary>
public class ListenerOverlapTests
{
    public static TheoryData<string, string, string, string> Overlaps => new()
    {
        // rtmp, http, admin, and the message expected
        { "0.0.0.0:1935", "0.0.0.0:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('0.0.0.0:1935')" },
        { "0.0.0.0:1935", "127.0.0.1:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('0.0.0.0:1935')" },
        { "127.0.0.1:1935", "[::]:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('127.0.0.1:1935')" },
        { "127.0.0.1:1935", "127.0.0.1:8080", "0.0.0.0:8080", "$.admin.listen: port 8080 is already used by $.http.listen ('127.0.0.1:8080')" },
        { "127.0.0.1:9135", "127.0.0.1:8080", "127.0.0.1:9135", "$.admin.listen: port 9135 is already used by $.rtmp.listen ('127.0.0.1:9135')" },
        { "localhost:1935", "127.0.0.1:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('localhost:1935')" },
        { "127.0.0.1:1935", "[::ffff:127.0.0.1]:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('127.0.0.1:1935')" },
        { "[::1]:1935", "[::1]:1935", "", "$.http.listen: port 1935 is already used by $.rtmp.listen ('[::1]:1935')" },
    };

    [Theory]
    [MemberData(nameof(Overlaps))]
    public void OverlappingListenersAreRefusedNamingBothKeys(string rtmp, string http, string admin, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Config(rtmp, http, admin), "test.json"));

        Assert.StartsWith($"test.json: {message} (line 1, column ", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0")]   // the kernel picks three ports
    [InlineData("0.0.0.0:0", "0.0.0.0:0", "")]
    [InlineData("127.0.0.1:1935", "127.0.0.2:1935", "")]        // two addresses, one port each
    [InlineData("[::1]:1935", "127.0.0.1:1935", "")]
    [InlineData("0.0.0.0:1935", "0.0.0.0:8080", "127.0.0.1:9135")]
    public void SeparateListenersAreAccepted(string rtmp, string http, string admin)
    {
        var config = ConfigLoader.Parse(Config(rtmp, http, admin));

        Assert.Equal((rtmp, http, admin), (config.Rtmp.Listen, config.Http.Listen, config.Admin.Listen));
    }

    [Fact]
    public void TheDefaultAdminListenerCountsToo()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "http": { "listen": "0.0.0.0:9135" } }"""));

        Assert.Equal("config: $.admin.listen: port 9135 is already used by $.http.listen ('0.0.0.0:9135')", error.Message);
    }

    [Fact]
    public void AThirdListenerOnTheSamePortIsReportedOnce()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Config("0.0.0.0:1935", "0.0.0.0:1935", "127.0.0.1:1935")));

        Assert.Equal(
            [
                "config: $.http.listen: port 1935 is already used by $.rtmp.listen ('0.0.0.0:1935') (line 1, column 61)",
                "config: $.admin.listen: port 1935 is already used by $.rtmp.listen ('0.0.0.0:1935') (line 1, column 100)",
            ],
            error.Message.Split(Environment.NewLine));
    }

    private static string Config(string rtmp, string http, string admin) =>
        $$"""{ "rtmp": { "listen": "{{rtmp}}" }, "http": { "listen": "{{http}}" }, "admin": { "listen": "{{admin}}" } }""";
}
