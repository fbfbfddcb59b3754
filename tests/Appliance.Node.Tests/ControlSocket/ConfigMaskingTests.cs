using Appliance.Node.Config;
using Appliance.Relay.Config;
using Appliance.Node.ControlSocket;

namespace Appliance.Node.Tests.ControlSocket;

public sealed class ConfigMaskingTests
{
    [Fact]
    public void Keys_secrets_and_passwords_in_urls_are_masked()
    {
        var config = new ApplianceConfig();
        config.Security.SessionSecret = new string('a', 32);
        var app = config.Domains[0].Apps[0];
        app.Auth.Publish.Key = "publish-key";
        app.Auth.Play.BackupKey = "backup-key";
        app.Auth.Play.CallbackUrl = "http://user:hunter2@auth.example/check";

        var json = ConfigMasking.Effective(config).GetRawText();

        Assert.DoesNotContain("publish-key", json, StringComparison.Ordinal);
        Assert.DoesNotContain("backup-key", json, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 32), json, StringComparison.Ordinal);
        Assert.Contains("http://user:*****@auth.example/check", json, StringComparison.Ordinal);
        Assert.Contains("\"listen\":\"0.0.0.0:1935\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_upstream_and_push_url_queries_are_masked()
    {
        var config = new ApplianceConfig();
        var app = config.Domains[0].Apps[0];
        app.Upstreams.Add(new UpstreamConfig { Url = "http://origin/{app}/{stream}.flv?stream={stream}&key=pull-secret" });
        app.Push.Add("rtmp://upper/live?token=push-secret");
        app.Push.Add(new Appliance.Relay.Config.PushTargetConfig { Url = "rtmps://upper/live?token=tls-secret", PinSha256 = "sha256//pin" });

        var effective = ConfigMasking.Effective(config);
        var json = effective.GetRawText();

        Assert.DoesNotContain("pull-secret", json, StringComparison.Ordinal);
        Assert.DoesNotContain("push-secret", json, StringComparison.Ordinal);
        Assert.DoesNotContain("tls-secret", json, StringComparison.Ordinal);
        var masked = effective.GetProperty("domains")[0].GetProperty("apps")[0];
        Assert.Equal("http://origin/{app}/{stream}.flv?stream={stream}&key=*****", masked.GetProperty("upstreams")[0].GetProperty("url").GetString());
        Assert.Equal("rtmp://upper/live?token=*****", masked.GetProperty("push")[0].GetString());
        Assert.Equal("rtmps://upper/live?token=*****", masked.GetProperty("push")[1].GetProperty("url").GetString());
        Assert.Equal("sha256//pin", masked.GetProperty("push")[1].GetProperty("pinSha256").GetString());
    }
}
