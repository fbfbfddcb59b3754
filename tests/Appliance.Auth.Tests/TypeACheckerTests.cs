using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class TypeACheckerTests
{
    private const string Key = "primary-key";
    private const string Backup = "backup-key";
    private const long Now = 1_700_000_000;
    private const string Path = "/live/cam1.flv";

    private readonly ManualClock _clock = new(Now);

    private TypeAChecker Checker(string? backup = Backup) => new(Key, backup, 1800, _clock);

    [Fact]
    public void AFreshTokenPasses()
    {
        var result = Checker().Check(Requests.Play(Path, Signer.TypeA(Path, Now, Key)));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void RtmpUsesAppAndStreamAsThePath()
    {
        var result = Checker().Check(Requests.Publish("/live/cam1", Signer.TypeA("/live/cam1", Now, Key)));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void OtherParametersAroundTheTokenDoNotMatter()
    {
        var query = "a=1&" + Signer.TypeA(Path, Now, Key) + "&b=2";

        Assert.True(Checker().Check(Requests.Play(Path, query)).Allowed);
    }

    [Fact]
    public void ValidUntilTimestampPlusTtl()
    {
        var query = Signer.TypeA(Path, Now - 1800, Key);
        Assert.True(Checker().Check(Requests.Play(Path, query)).Allowed);

        _clock.UnixSeconds++;
        var result = Checker().Check(Requests.Play(Path, query));

        Assert.Equal(AuthRefusal.Expired, result.Reason);
    }

    [Fact]
    public void ATamperedHashIsABadSignature()
    {
        var query = Signer.TypeA(Path, Now, Key);
        var tampered = Signer.Flip(query, query.Length - 1);

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Path, tampered)).Reason);
    }

    [Fact]
    public void AMovedTimestampIsABadSignature()
    {
        var query = Signer.TypeA(Path, Now - 100_000, Key).Replace($"{Now - 100_000}", $"{Now}");

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Path, query)).Reason);
    }

    [Fact]
    public void ATokenForAnotherStreamIsABadSignature()
    {
        var query = Signer.TypeA("/live/cam2.flv", Now, Key);

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Path, query)).Reason);
    }

    [Fact]
    public void TheBackupKeyPassesAndAnUnknownKeyDoesNot()
    {
        Assert.True(Checker().Check(Requests.Play(Path, Signer.TypeA(Path, Now, Backup))).Allowed);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Path, Signer.TypeA(Path, Now, "other-key"))).Reason);
        Assert.Equal(AuthRefusal.BadSignature, Checker(backup: null).Check(Requests.Play(Path, Signer.TypeA(Path, Now, Backup))).Reason);
    }

    [Fact]
    public void RandAndUidAreSignedAsSentAndUidMayHoldDashes()
    {
        var query = Signer.TypeA(Path, Now, Key, rand: "a1b2c3", uid: "user-77-x");

        Assert.True(Checker().Check(Requests.Play(Path, query)).Allowed);
    }

    [Fact]
    public void AnUpperCaseHashIsTheSameDigest()
    {
        var query = Signer.TypeA(Path, Now, Key);
        var dash = query.LastIndexOf('-');

        Assert.True(Checker().Check(Requests.Play(Path, query[..dash] + query[dash..].ToUpperInvariant())).Allowed);
    }

    [Fact]
    public void NoTokenIsMissing()
    {
        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Play(Path, "x=1")).Reason);
        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Play(Path)).Reason);
    }
}
