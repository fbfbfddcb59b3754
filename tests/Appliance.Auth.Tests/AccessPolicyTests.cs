using Appliance.Auth.Tokens;
using System.Net;
using Appliance.Auth;
using Appliance.Auth.Config;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class AccessPolicyTests
{
    private const long Now = 1_700_000_000;
    private const string Path = "/live/cam1.flv";

    private readonly ManualClock _clock = new(Now);

    private AccessPolicy Policy(Action<AuthConfig>? configure = null)
    {
        var config = new AuthConfig
        {
            Play = new AuthRule { Scheme = AuthSchemes.TypeA, Key = "play-key" },
            Publish = new AuthRule { Scheme = AuthSchemes.StreamSecret, Key = "push-key" },
        };
        configure?.Invoke(config);
        return AccessPolicy.Create(config, _clock);
    }

    private static AuthResult Check(AccessPolicy policy, AuthRequest request)
    {
        var pending = policy.CheckAsync(request);
        Assert.True(pending.IsCompletedSuccessfully, "a hashing scheme must complete synchronously");
        return pending.Result;
    }

    [Fact]
    public void EachActionUsesItsOwnScheme()
    {
        var policy = Policy();
        var play = Requests.Play(Path, Signer.TypeA(Path, Now, "play-key"));
        var publish = Requests.Publish("/live/cam1", Signer.StreamSecret("cam1", (Now + 60).ToString("X"), "push-key"));

        Assert.True(Check(policy, play).Allowed);
        Assert.True(Check(policy, publish).Allowed);
        Assert.Equal(AuthRefusal.MissingToken, Check(policy, Requests.Publish("/live/cam1", play.Query)).Reason);
        Assert.Equal(AuthRefusal.MissingToken, Check(policy, Requests.Play(Path, publish.Query)).Reason);
    }

    [Fact]
    public void TheIpRuleComesFirstAndCoversBothActions()
    {
        var policy = Policy(c => c.Ip.Deny = ["198.51.100.0/24"]);
        var play = Requests.Play(Path, Signer.TypeA(Path, Now, "play-key"));

        Assert.Equal(AuthRefusal.IpDenied, Check(policy, play).Reason);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Publish("/live/cam1")).Reason);
        Assert.True(Check(policy, Requests.Play(Path, play.Query, ip: IPAddress.Parse("192.0.2.1"))).Allowed);
    }

    [Fact]
    public void AnActionsOwnIpRuleCoversThatActionAlone()
    {
        var policy = Policy(c =>
        {
            c.Publish = new AuthRule { Ip = { Allow = ["127.0.0.1", "::1"] } };
            c.Play = new AuthRule();
        });
        var loopback = IPAddress.Loopback;
        var otherLoopback = IPAddress.Parse("127.0.0.2");
        var remote = IPAddress.Parse("192.0.2.1");

        Assert.True(Check(policy, Requests.Publish("/live/cam1", ip: loopback)).Allowed);
        Assert.True(Check(policy, Requests.Publish("/live/cam1", ip: IPAddress.IPv6Loopback)).Allowed);
        Assert.True(Check(policy, Requests.Publish("/live/cam1", ip: IPAddress.Parse("::ffff:127.0.0.1"))).Allowed);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Publish("/live/cam1", ip: otherLoopback)).Reason);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Publish("/live/cam1", ip: remote)).Reason);
        Assert.True(Check(policy, Requests.Play(Path, ip: remote)).Allowed);
        Assert.False(policy.IsOpen(AuthAction.Publish));
        Assert.True(policy.IsOpen(AuthAction.Play));
    }

    [Fact]
    public void AnActionsIpRuleAddsToTheAppsAndToItsScheme()
    {
        var policy = Policy(c =>
        {
            c.Ip.Deny = ["10.9.0.0/16"];
            c.Publish.Ip.Deny = ["10.0.0.0/8"];
        });
        var signed = Signer.StreamSecret("cam1", (Now + 60).ToString("X"), "push-key");

        Assert.True(Check(policy, Requests.Publish("/live/cam1", signed, ip: IPAddress.Parse("192.0.2.1"))).Allowed);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Publish("/live/cam1", signed, ip: IPAddress.Parse("10.1.2.3"))).Reason);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Publish("/live/cam1", signed, ip: IPAddress.Parse("10.9.2.3"))).Reason);
        Assert.Equal(AuthRefusal.MissingToken, Check(policy, Requests.Publish("/live/cam1", ip: IPAddress.Parse("192.0.2.1"))).Reason);
    }

    [Fact]
    public void TheRefererRuleComesBeforeTheTokenAndOnlyForPlay()
    {
        var policy = Policy(c => c.Referer = new RefererAccessConfig { Allow = ["example.com"], AllowEmpty = false });
        var query = Signer.TypeA(Path, Now, "play-key");
        var publish = Requests.Publish("/live/cam1", Signer.StreamSecret("cam1", (Now + 60).ToString("X"), "push-key"));

        Assert.Equal(AuthRefusal.Referer, Check(policy, Requests.Play(Path, query, referer: "https://leech.io/")).Reason);
        Assert.Equal(AuthRefusal.Referer, Check(policy, Requests.Play(Path, "no-token", referer: null)).Reason);
        Assert.True(Check(policy, Requests.Play(Path, query, referer: "https://www.example.com/watch")).Allowed);
        Assert.True(Check(policy, publish).Allowed);
    }

    [Fact]
    public void ClientAddressesResolveThroughTheAppsTrustedProxies()
    {
        var policy = Policy(c => c.TrustedProxies = ["10.0.0.0/8"]);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), policy.ResolveClientIp(IPAddress.Parse("10.0.0.2"), "203.0.113.7, 10.0.0.2"));
        Assert.Equal(IPAddress.Parse("192.0.2.9"), policy.ResolveClientIp(IPAddress.Parse("192.0.2.9"), "203.0.113.7"));
    }

    [Fact]
    public void AResolvedForwardedAddressIsWhatTheIpRuleSees()
    {
        var policy = Policy(c =>
        {
            c.TrustedProxies = ["10.0.0.0/8"];
            c.Ip.Allow = ["203.0.113.0/24"];
            c.Play = new AuthRule();
        });
        var client = policy.ResolveClientIp(IPAddress.Parse("10.0.0.2"), "203.0.113.7");
        var spoofed = policy.ResolveClientIp(IPAddress.Parse("192.0.2.9"), "203.0.113.7");

        Assert.True(Check(policy, Requests.Play(Path, ip: client)).Allowed);
        Assert.Equal(AuthRefusal.IpDenied, Check(policy, Requests.Play(Path, ip: spoofed)).Reason);
    }

    [Fact]
    public void OpennessIsReportedPerAction()
    {
        Assert.True(AccessPolicy.Open.IsOpen(AuthAction.Play));
        var refererOnly = Policy(c =>
        {
            c.Play = new AuthRule();
            c.Publish = new AuthRule();
            c.Referer.Deny = ["leech.io"];
        });

        Assert.False(refererOnly.IsOpen(AuthAction.Play));
        Assert.True(refererOnly.IsOpen(AuthAction.Publish));
        Assert.False(Policy().IsOpen(AuthAction.Publish));
    }

    [Fact]
    public void PathFormResultsGiveTheRealPath()
    {
        var policy = Policy(c => c.Play = new AuthRule { Scheme = AuthSchemes.TypeC, Key = "k" });
        var path = Signer.TypeCPath(Path, Now, "k");

        var result = Check(policy, Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal(Path, result.RealPath(path));
        Assert.Equal(Path, AuthResult.Allow.RealPath(Path));
    }
}
