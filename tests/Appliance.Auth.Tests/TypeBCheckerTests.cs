using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class TypeBCheckerTests
{
    private const string Key = "primary-key";
    private const string Backup = "backup-key";
    // 2023-11-14 22:13 UTC+8 is 14:13 UTC.
    private const string Time = "202311142213";
    private const long SignedAt = 1_699_971_180;
    private const string Real = "/live/cam1.flv";

    private readonly ManualClock _clock = new(SignedAt + 60);

    private TypeBChecker Checker() => new(Key, Backup, 1800, _clock);

    [Fact]
    public void TheTimeIsReadAsUtcPlus8()
    {
        Assert.True(TypeBChecker.TryParseUtc8(Time, out long unix));
        Assert.Equal(SignedAt, unix);
    }

    [Fact]
    public void AFreshTokenPassesAndTheRealPathIsMarked()
    {
        var path = Signer.TypeBPath(Real, Time, Key);

        var result = Checker().Check(Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal(Real, result.RealPath(path));
        Assert.Equal(0, result.StripStart);
        Assert.Equal(46, result.StripLength);
    }

    [Fact]
    public void ValidUntilTimePlusTtl()
    {
        var path = Signer.TypeBPath(Real, Time, Key);
        _clock.UnixSeconds = SignedAt + 1800;
        Assert.True(Checker().Check(Requests.Play(path)).Allowed);

        _clock.UnixSeconds++;

        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Play(path)).Reason);
    }

    [Fact]
    public void ATamperedHashIsABadSignature()
    {
        var path = Signer.TypeBPath(Real, Time, Key);
        var tampered = Signer.Flip(path, 14);

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(tampered)).Reason);
    }

    [Fact]
    public void ATokenForAnotherStreamIsABadSignature()
    {
        var path = Signer.TypeBPath(Real, Time, Key).Replace("cam1", "cam2");

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(path)).Reason);
    }

    [Fact]
    public void TheBackupKeyPasses()
    {
        Assert.True(Checker().Check(Requests.Play(Signer.TypeBPath(Real, Time, Backup))).Allowed);
    }

    [Theory]
    [InlineData("202313142213")]
    [InlineData("202302302213")]
    [InlineData("202311142460")]
    [InlineData("196912312359")]
    public void AnImpossibleDateIsMalformed(string time)
    {
        var result = Checker().Check(Requests.Play(Signer.TypeBPath(Real, time, Key)));

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
    }

    [Fact]
    public void APlainPathIsMissingItsToken()
    {
        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Play(Real)).Reason);
    }
}
