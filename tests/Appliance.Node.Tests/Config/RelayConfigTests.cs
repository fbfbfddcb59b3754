using Appliance.Node.Config;

namespace Appliance.Node.Tests.Config;

public sealed class RelayConfigTests
{
    [Theory]
    [InlineData("\"pull\": { \"mode\": \"sometimes\" }", "$.domains[0].apps[0].pull.mode: must be on-demand, always or off")]
    [InlineData("\"pull\": { \"mode\": \"always\" }", "$.domains[0].apps[0].pull.streams: lists the streams to keep pulled when mode is always")]
    [InlineData("\"pull\": { \"stallMs\": 10 }", "$.domains[0].apps[0].pull.stallMs: must be between 200 and 60000")]
    [InlineData("\"pull\": { \"maxHops\": 0 }", "$.domains[0].apps[0].pull.maxHops: must be between 1 and 64")]
    [InlineData("\"pull\": { \"retryMs\": 1000, \"maxRetryMs\": 500 }", "$.domains[0].apps[0].pull.maxRetryMs: must be between retryMs and 600000")]
    [InlineData("\"push\": [ \"http://upper/{stream}.flv\" ]", "$.domains[0].apps[0].push[0]: must be an rtmp://, rtmps:// or srt:// URL")]
    [InlineData("\"push\": [ \"rtmp://upper/live?appliance_via=x\" ]", "$.domains[0].apps[0].push[0]: must not set appliance_via")]
    [InlineData("\"push\": [ \"rtmp://upper/live?token=a b\" ]", "$.domains[0].apps[0].push[0]: contains a space")]
    [InlineData("\"push\": [ \"rtmp://upper/live?\" ]", "$.domains[0].apps[0].push[0]: has an empty query")]
    [InlineData("\"push\": [ \"rtmp://upper/live?a=%zz\" ]", "$.domains[0].apps[0].push[0]: has a '%' not followed by two hex digits")]
    [InlineData("\"push\": [ \"rtmp://upper/live#x\" ]", "$.domains[0].apps[0].push[0]: must not carry a fragment")]
    [InlineData("\"push\": null", "$.domains[0].apps[0].push: must be an array")]
    [InlineData("\"push\": [ 7 ]", "$.domains[0].apps[0].push[0]: must be an rtmp://, rtmps:// or srt:// URL string, or an object with url and optionally caFile and pinSha256")]
    [InlineData("\"push\": [ null ]", "$.domains[0].apps[0].push[0]: must be an rtmp://, rtmps:// or srt:// URL, or an object with url, caFile and pinSha256")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"verify\": false } ]", "unknown key 'verify' in a push target (it takes url, caFile and pinSha256)")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"caFile\": 1 } ]", "the push target's caFile must be a string")]
    [InlineData("\"push\": [ { \"caFile\": \"/etc/ssl/ca.pem\" } ]", "$.domains[0].apps[0].push[0]: has no url: must be an rtmp://, rtmps:// or srt:// URL")]
    [InlineData("\"push\": [ { \"url\": \"rtmp://upper/live\", \"pinSha256\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" } ]", "$.domains[0].apps[0].push[0].pinSha256: is only for https:// and rtmps:// URLs")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"pinSha256\": \"sha1//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" } ]", "$.domains[0].apps[0].push[0].pinSha256: must be the base64 of a SHA-256 (44 characters, optionally after sha256//) of the certificate's public key")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"pinSha256\": \"AAAA\" } ]", "$.domains[0].apps[0].push[0].pinSha256: must be the base64 of a SHA-256")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"caFile\": \"ca.pem\" } ]", "$.domains[0].apps[0].push[0].caFile: must be the absolute path of a PEM file of CA certificates")]
    [InlineData("\"push\": [ { \"url\": \"rtmps://upper/live\", \"caFile\": \"/nonexistent/ca.pem\" } ]", "$.domains[0].apps[0].push[0].caFile: /nonexistent/ca.pem: cannot read the CA file: no such file")]
    [InlineData("\"push\": [ { \"url\": \"rtmp://upper/live\", \"caFile\": \"/nonexistent/ca.pem\" } ]", "$.domains[0].apps[0].push[0].caFile: is only for https:// and rtmps:// URLs")]
    [InlineData("\"node\": 1", "$.node")]
    public void Bad_relay_settings_are_refused_with_their_key_path(string json, string problem)
    {
        var text = json.StartsWith("\"node\"", StringComparison.Ordinal)
            ? "{ " + json + " }"
            : "{ \"domains\": [ { \"name\": \"default\", \"apps\": [ { \"name\": \"live\", " + json + " } ] } ] }";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "t.json"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"node\": { \"id\": \"edge 1\" }", "$.node.id")]
    [InlineData("\"node\": { \"role\": \"king\" }", "$.node.role")]
    [InlineData("\"control\": { \"socket\": \"relative.sock\" }", "$.control.socket")]
    [InlineData("\"admin\": { \"listen\": \"nowhere\" }", "$.admin.listen")]
    [InlineData("\"log\": { \"accessFile\": \"access.log\" }", "$.log.accessFile")]
    [InlineData("\"http\": { \"playerDir\": \"share/player\" }", "$.http.playerDir: must be an absolute path")]
    public void Bad_operations_settings_are_refused_with_their_key_path(string json, string path)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{ " + json + " }", "t.json"));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upstreams_and_an_always_pull_are_accepted()
    {
        var config = ConfigLoader.Parse("""
            { "domains": [ { "name": "default", "apps": [ { "name": "live",
              "upstreams": [ { "url": "rtmp://10.0.0.1/live", "priority": 0 }, { "url": "http://10.0.0.2:8080/{app}/{stream}.flv", "weight": 3 } ],
              "pull": { "mode": "always", "streams": [ "cam" ] } } ] } ] }
            """);

        var app = config.Domains[0].Apps[0];
        Assert.Equal(2, app.Upstreams.Count);
        Assert.Equal("always", app.Pull.Mode);
    }

    [Fact]
    public void Push_targets_with_credentials_are_accepted()
    {
        var config = ConfigLoader.Parse("""
            { "domains": [ { "name": "default", "apps": [ { "name": "live",
              "push": [ "rtmp://upper-1:1935/live?token=abc", "rtmp://[::1]/ingest" ] } ] } ] }
            """);

        Assert.Equal(["rtmp://upper-1:1935/live?token=abc", "rtmp://[::1]/ingest"], config.Domains[0].Apps[0].Push.Select(p => p.Url));
    }

    [Fact]
    public void Push_targets_are_strings_or_objects_with_a_ca_file_and_a_pin_and_are_written_back_alike()
    {
        using var ca = new Appliance.Tests.Support.TestCertificates();
        var empty = Path.Combine(Path.GetTempPath(), $"appliance-push-empty-{Guid.NewGuid():N}.pem");
        File.WriteAllText(empty, "no certificates here\n");
        try
        {
            var pin = Convert.ToBase64String(new byte[32]);
            var config = ConfigLoader.Parse($$"""
                { "domains": [ { "name": "default", "apps": [ { "name": "live",
                  "push": [ "rtmps://upper-1/live", { "url": "rtmps://upper-2/live", "caFile": "{{ca.CaPath}}", "pinSha256": "sha256//{{pin}}", },
                            { "url": "rtmp://upper-3/live" } ] } ] } ] }
                """);

            var push = config.Domains[0].Apps[0].Push;
            Assert.Equal(["rtmps://upper-1/live", "rtmps://upper-2/live", "rtmp://upper-3/live"], push.Select(p => p.Url));
            Assert.Equal([null, ca.CaPath, null], push.Select(p => p.CaFile));
            Assert.Equal([null, "sha256//" + pin, null], push.Select(p => p.PinSha256));
            var written = ConfigLoader.ToJson(config);
            Assert.Contains("\"rtmps://upper-1/live\"", written, StringComparison.Ordinal);
            Assert.Equal(push.Select(p => (p.Url, p.CaFile, p.PinSha256)), ConfigLoader.Parse(written).Domains[0].Apps[0].Push.Select(p => (p.Url, p.CaFile, p.PinSha256)));

            var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($$"""
                { "domains": [ { "name": "default", "apps": [ { "name": "live",
                  "push": [ { "url": "rtmps://upper/live", "caFile": "{{empty}}" } ] } ] } ] }
                """, "t.json"));
            Assert.Contains($"$.domains[0].apps[0].push[0].caFile: {empty}: no BEGIN CERTIFICATE block in the file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }
}
