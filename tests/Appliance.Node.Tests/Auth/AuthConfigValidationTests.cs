using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Node.Config;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Auth;

public class AuthConfigValidationTests
{
    private static string App(string auth) =>
        $$"""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "auth": {{auth}} } ] } ] }""";

    public static TheoryData<string, string> Refusals => new()
    {
        { """{ "play": { "scheme": "typeA" } }""", "$.domains[0].apps[0].auth.play.key" },
        { """{ "publish": { "scheme": "streamSecret", "key": "" } }""", "$.domains[0].apps[0].auth.publish.key" },
        { """{ "play": { "scheme": "typeZ", "key": "k" } }""", "$.domains[0].apps[0].auth.play.scheme" },
        { """{ "play": { "scheme": "TypeA", "key": "k" } }""", "$.domains[0].apps[0].auth.play.scheme" },
        { """{ "play": { "scheme": "typeB", "key": "k", "backupKey": "" } }""", "$.domains[0].apps[0].auth.play.backupKey" },
        { """{ "play": { "scheme": "hmac", "key": "not-hex" } }""", "$.domains[0].apps[0].auth.play.key" },
        { """{ "play": { "scheme": "hmac", "key": "abc" } }""", "$.domains[0].apps[0].auth.play.key" },
        { """{ "play": { "scheme": "hmac", "key": "abcd", "backupKey": "xyz0" } }""", "$.domains[0].apps[0].auth.play.backupKey" },
        { """{ "play": { "scheme": "typeA", "key": "k", "ttlSeconds": 0 } }""", "$.domains[0].apps[0].auth.play.ttlSeconds" },
        { """{ "play": { "graceSeconds": -1 } }""", "$.domains[0].apps[0].auth.play.graceSeconds" },
        { """{ "play": { "signName": "a&b" } }""", "$.domains[0].apps[0].auth.play.signName" },
        { """{ "play": { "signName": "t" } }""", "$.domains[0].apps[0].auth.play.timeName" },
        { """{ "play": { "tokenName": "" } }""", "$.domains[0].apps[0].auth.play.tokenName" },
        { """{ "play": { "txTimeName": "a=b" } }""", "$.domains[0].apps[0].auth.play.txTimeName" },
        { """{ "play": { "scheme": "callback" } }""", "$.domains[0].apps[0].auth.play.callbackUrl" },
        { """{ "play": { "scheme": "callback", "callbackUrl": "ftp://x/" } }""", "$.domains[0].apps[0].auth.play.callbackUrl" },
        { """{ "play": { "callbackTimeoutMs": 0 } }""", "$.domains[0].apps[0].auth.play.callbackTimeoutMs" },
        { """{ "play": { "callbackCacheSeconds": 99999 } }""", "$.domains[0].apps[0].auth.play.callbackCacheSeconds" },
        { """{ "referer": { "allow": [ "a.com" ], "deny": [ "b.com" ] } }""", "$.domains[0].apps[0].auth.referer" },
        { """{ "referer": { "allow": [ "a.com", "a/b" ] } }""", "$.domains[0].apps[0].auth.referer.allow[1]" },
        { """{ "referer": { "deny": [ "*" ] } }""", "$.domains[0].apps[0].auth.referer.deny[0]" },
        { """{ "ip": { "allow": [ "10.0.0.0/8" ], "deny": [ "10.1.0.0/16" ] } }""", "$.domains[0].apps[0].auth.ip" },
        { """{ "ip": { "deny": [ "10.0.0.0/8", "10.0.0.0/40" ] } }""", "$.domains[0].apps[0].auth.ip.deny[1]" },
        { """{ "ip": { "allow": [ "2001:db8::/200" ] } }""", "$.domains[0].apps[0].auth.ip.allow[0]" },
        { """{ "publish": { "ip": { "allow": [ "127.0.0.1", "localhost" ] } } }""", "$.domains[0].apps[0].auth.publish.ip.allow[1]" },
        { """{ "play": { "ip": { "allow": [ "10.0.0.0/8" ], "deny": [ "10.1.0.0/16" ] } } }""", "$.domains[0].apps[0].auth.play.ip" },
        { """{ "publish": { "ip": null } }""", "$.domains[0].apps[0].auth.publish.ip" },
        { """{ "trustedProxies": [ "proxy.local" ] }""", "$.domains[0].apps[0].auth.trustedProxies[0]" },
        { """{ "trustedProxies": null }""", "$.domains[0].apps[0].auth.trustedProxies" },
        { """{ "ip": null }""", "$.domains[0].apps[0].auth.ip" },
        { """{ "play": null }""", "$.domains[0].apps[0].auth.play" },
        { """null""", "$.domains[0].apps[0].auth" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EachRuleNamesThePathItRefuses(string auth, string path)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App(auth)));

        Assert.Contains($"config: {path}: ", error.Message);
    }

    [Fact]
    public void AnUnknownKeyIsRefusedByTheParser()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(App("""{ "play": { "secret": "x" } }""")));

        Assert.Contains("auth.play", error.Message);
    }

    [Fact]
    public void TheDefaultIsOpenAndRoundTrips()
    {
        var config = ConfigLoader.Parse("{}");
        var auth = config.Domains[0].Apps[0].Auth;

        Assert.Equal("none", auth.Publish.Scheme);
        Assert.Equal("none", auth.Play.Scheme);
        Assert.Equal(1800, auth.Play.TtlSeconds);
        Assert.True(auth.Referer.AllowEmpty);
        Assert.Empty(auth.Ip.Allow);
        Assert.Empty(auth.TrustedProxies);
        Assert.Equal(ConfigLoader.ToJson(config), ConfigLoader.ToJson(ConfigLoader.Parse(ConfigLoader.ToJson(config))));
        var policy = AccessPolicy.Create(auth, new ManualClock(0));
        Assert.True(policy.IsOpen(AuthAction.Play));
        Assert.True(policy.IsOpen(AuthAction.Publish));
    }

    [Fact]
    public async Task AFullSectionParsesAndBuildsAPolicy()
    {
        var config = ConfigLoader.Parse(App("""
            {
              // viewers sign with Type A, encoders with a stream secret
              "play": { "scheme": "typeA", "key": "k1", "backupKey": "k0", "ttlSeconds": 600 },
              "publish": { "scheme": "streamSecret", "key": "push", "graceSeconds": 30, "txSecretName": "s", "txTimeName": "e" },
              "referer": { "allow": [ "example.com", "*.partner.net" ], "allowEmpty": false },
              "ip": { "deny": [ "192.0.2.0/24", "2001:db8:bad::/48" ] },
              "trustedProxies": [ "10.0.0.0/8", "fd00::/8" ],
            }
            """));
        var auth = config.Domains[0].Apps[0].Auth;

        Assert.Equal("typeA", auth.Play.Scheme);
        Assert.Equal("k0", auth.Play.BackupKey);
        Assert.Equal(600, auth.Play.TtlSeconds);
        Assert.Equal("s", auth.Publish.TxSecretName);
        Assert.False(auth.Referer.AllowEmpty);
        // The publisher signs with the renamed parameters s and e.
        var txTime = "6553F100";
        var policy = AccessPolicy.Create(auth, new ManualClock(0x6553F100));
        var signed = $"s={Signer.Md5Hex("push" + "cam1" + txTime)}&e={txTime}";
        Assert.True((await policy.CheckAsync(Requests.Publish("/live/cam1", signed))).Allowed);
        Assert.Equal(AuthRefusal.MissingToken, (await policy.CheckAsync(Requests.Publish("/live/cam1", Signer.StreamSecret("cam1", txTime, "push")))).Reason);
    }

    [Fact]
    public void EveryValidSchemeBuildsAChecker()
    {
        foreach (var (scheme, key) in new[] { ("typeA", "k"), ("typeB", "k"), ("typeC", "k"), ("streamSecret", "k"), ("hmac", "0a1B"), ("callback", "") })
        {
            var json = App($$"""{ "play": { "scheme": "{{scheme}}", "key": "{{key}}", "callbackUrl": "http://127.0.0.1:9/check" } }""");
            var auth = ConfigLoader.Parse(json).Domains[0].Apps[0].Auth;

            var policy = AccessPolicy.Create(auth, new ManualClock(0));

            Assert.False(policy.IsOpen(AuthAction.Play));
        }
    }
}
