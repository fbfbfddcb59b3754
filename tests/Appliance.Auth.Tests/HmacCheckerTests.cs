using Appliance.Auth.Tokens;
using System.Net;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class HmacCheckerTests
{
    private const string Key = "00112233445566778899aabbccddeeff";
    private const string Backup = "ffeeddccbbaa99887766554433221100";
    private const long Now = 1_700_000_000;
    private const string Playlist = "/live/cam1.m3u8";

    private readonly ManualClock _clock = new(Now);

    private HmacChecker Checker(int grace = 0, string name = "__token__") => new(Key, Backup, grace, name, _clock);

    private static string Exp(long seconds) => $"exp={seconds}";

    [Fact]
    public void AQueryTokenWithAnAclPasses()
    {
        var token = Signer.EdgeToken(Key, $"st={Now}", Exp(Now + 60), "acl=/live/cam1*");

        var result = Checker().Check(Requests.Play(Playlist, "__token__=" + token));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void APercentEncodedQueryTokenIsDecodedBeforeChecking()
    {
        var token = Signer.EdgeToken(Key, Exp(Now + 60), "acl=/live/cam1*");

        var result = Checker().Check(Requests.Play(Playlist, "__token__=" + Uri.EscapeDataString(token)));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void APathElementTokenPassesAndMarksTheRealPath()
    {
        var token = Signer.EdgeToken(Key, Exp(Now + 60), "acl=/live/cam1/*");
        var path = $"/live/__token__={Uri.EscapeDataString(token)}/cam1/seg12.ts";

        var result = Checker().Check(Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal("/live/cam1/seg12.ts", result.RealPath(path));
    }

    [Fact]
    public void UrlModeSignsThePathAfterExp()
    {
        var token = Signer.EdgeUrlToken(Key, Playlist, [$"st={Now - 10}", Exp(Now + 60)], ["id=v1"]);

        Assert.True(Checker().Check(Requests.Play(Playlist, "__token__=" + token)).Allowed);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play("/live/cam2.m3u8", "__token__=" + token)).Reason);
    }

    [Fact]
    public void UrlModeInAPathElementSignsTheRealPath()
    {
        var token = Signer.EdgeUrlToken(Key, "/live/cam1/seg1.ts", [Exp(Now + 60)], []);
        var path = $"/live/cam1/__token__={token}/seg1.ts";

        Assert.True(Checker().Check(Requests.Play(path)).Allowed);
    }

    [Fact]
    public void ValidFromStartUntilBeforeExp()
    {
        var token = Signer.EdgeToken(Key, $"st={Now + 10}", Exp(Now + 20), "acl=/*");
        var request = Requests.Play(Playlist, "__token__=" + token);

        Assert.Equal(AuthRefusal.NotYetValid, Checker().Check(request).Reason);
        _clock.UnixSeconds = Now + 10;
        Assert.True(Checker().Check(request).Allowed);
        _clock.UnixSeconds = Now + 19;
        Assert.True(Checker().Check(request).Allowed);
        _clock.UnixSeconds = Now + 20;
        Assert.Equal(AuthRefusal.Expired, Checker().Check(request).Reason);
    }

    [Fact]
    public void GraceAllowsClockSkewBothWays()
    {
        var token = Signer.EdgeToken(Key, $"st={Now + 5}", Exp(Now + 20), "acl=/*");
        var request = Requests.Play(Playlist, "__token__=" + token);

        Assert.True(Checker(grace: 5).Check(request).Allowed);
        _clock.UnixSeconds = Now + 24;
        Assert.True(Checker(grace: 5).Check(request).Allowed);
        _clock.UnixSeconds = Now + 25;
        Assert.Equal(AuthRefusal.Expired, Checker(grace: 5).Check(request).Reason);
    }

    [Fact]
    public void ATokenForAnotherStreamIsOutsideItsAcl()
    {
        var token = Signer.EdgeToken(Key, Exp(Now + 60), "acl=/live/cam1*");

        var result = Checker().Check(Requests.Play("/live/cam2.m3u8", "__token__=" + token));

        Assert.Equal(AuthRefusal.AclMismatch, result.Reason);
    }

    [Theory]
    [InlineData("/live/cam1*!/live/cam2*", "/live/cam2/seg1.ts", true)]
    [InlineData("/live/cam?.m3u8", "/live/cam7.m3u8", true)]
    [InlineData("/live/cam?.m3u8", "/live/cam10.m3u8", false)]
    [InlineData("/live/*/seg*.ts", "/live/cam1/sub/seg9.ts", true)]
    [InlineData("/live/cam1.m3u8", "/live/cam1.m3u8x", false)]
    [InlineData("/vod/*!/live/x*", "/live/cam1.m3u8", false)]
    public void AclWildcards(string acl, string path, bool allowed)
    {
        var token = Signer.EdgeToken(Key, Exp(Now + 60), "acl=" + acl);

        var result = Checker().Check(Requests.Play(path, "__token__=" + token));

        Assert.Equal(allowed ? AuthRefusal.None : AuthRefusal.AclMismatch, result.Reason);
    }

    [Fact]
    public void AnIpBoundTokenPassesOnlyForThatClient()
    {
        var token = Signer.EdgeToken(Key, "ip=203.0.113.7", Exp(Now + 60), "acl=/live/*");
        var query = "__token__=" + token;

        Assert.True(Checker().Check(Requests.Play(Playlist, query, ip: IPAddress.Parse("203.0.113.7"))).Allowed);
        Assert.True(Checker().Check(Requests.Play(Playlist, query, ip: IPAddress.Parse("::ffff:203.0.113.7"))).Allowed);
        Assert.Equal(AuthRefusal.WrongIp, Checker().Check(Requests.Play(Playlist, query, ip: IPAddress.Parse("203.0.113.8"))).Reason);
    }

    [Theory]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("2001:DB8::7", "2001:db8::7")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0007", "2001:db8::7")]
    public void AnIpv6BoundTokenComparesAddressesNotSpellings(string inToken, string client)
    {
        var token = Signer.EdgeToken(Key, $"ip={inToken}", Exp(Now + 60), "acl=/live/*");

        Assert.True(Checker().Check(Requests.Play(Playlist, "__token__=" + token, ip: IPAddress.Parse(client))).Allowed);
        Assert.Equal(
            AuthRefusal.WrongIp,
            Checker().Check(Requests.Play(Playlist, "__token__=" + token, ip: IPAddress.Parse("2001:db8::8"))).Reason);
    }

    [Fact]
    public void TamperingWithAnyFieldIsABadSignature()
    {
        var token = Signer.EdgeToken(Key, "ip=203.0.113.7", Exp(Now + 60), "acl=/live/cam1*");

        foreach (var tampered in new[]
        {
            token.Replace("acl=/live/cam1*", "acl=/live/*"),
            token.Replace($"exp={Now + 60}", $"exp={Now + 6000}"),
            token.Replace("ip=203.0.113.7", "ip=203.0.113.8"),
            Signer.Flip(token, token.Length - 1),
        })
        {
            var result = Checker().Check(Requests.Play(Playlist, "__token__=" + tampered, ip: IPAddress.Parse("203.0.113.8")));
            Assert.Equal(AuthRefusal.BadSignature, result.Reason);
        }
    }

    [Fact]
    public void TheBackupKeyPasses()
    {
        var token = Signer.EdgeToken(Backup, Exp(Now + 60), "acl=/live/*");

        Assert.True(Checker().Check(Requests.Play(Playlist, "__token__=" + token)).Allowed);
    }

    [Fact]
    public void AConfiguredTokenNameIsUsedInQueryAndPath()
    {
        var token = Signer.EdgeToken(Key, Exp(Now + 60), "acl=/live/*");

        Assert.True(Checker(name: "hdnts").Check(Requests.Play(Playlist, "hdnts=" + token)).Allowed);
        Assert.Equal(AuthRefusal.MissingToken, Checker(name: "hdnts").Check(Requests.Play(Playlist, "__token__=" + token)).Reason);
    }

    [Theory]
    [InlineData("exp=1700000060~st=1700000000~acl=/*~hmac=")]
    [InlineData("exp=1700000060~exp=1700000061~acl=/*~hmac=")]
    [InlineData("exp=1700000060~acl=/*~url=/x~hmac=")]
    [InlineData("st=1700000000~acl=/*~hmac=")]
    [InlineData("exp=1700000060~acl=/*~hmac=00~id=x")]
    [InlineData("exp=1700000060~acl=/*")]
    [InlineData("exp=soon~acl=/*~hmac=")]
    [InlineData("exp=1700000060~acl~hmac=")]
    public void FieldsOutOfOrderRepeatedUnknownOrMissingAreMalformed(string token)
    {
        var padded = token.EndsWith("hmac=", StringComparison.Ordinal) ? token + new string('0', 64) : token;

        var result = Checker().Check(Requests.Play(Playlist, "__token__=" + padded));

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
    }
}
