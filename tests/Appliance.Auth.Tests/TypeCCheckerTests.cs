using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class TypeCCheckerTests
{
    private const string Key = "primary-key";
    private const string Backup = "backup-key";
    private const long Now = 1_700_000_000;
    private const string Real = "/live/cam1.m3u8";

    private readonly ManualClock _clock = new(Now);

    private TypeCChecker Checker(string sign = "sign", string time = "t") => new(Key, Backup, 1800, sign, time, _clock);

    [Fact]
    public void PathFormPassesAndMarksTheRealPath()
    {
        var path = Signer.TypeCPath(Real, Now, Key);

        var result = Checker().Check(Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal(Real, result.RealPath(path));
    }

    [Fact]
    public void QueryFormPassesWithConfiguredNames()
    {
        var query = "x=1&" + Signer.TypeCQuery(Real, Now, Key, "k", "ts");

        Assert.True(Checker("k", "ts").Check(Requests.Play(Real, query)).Allowed);
        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Play(Real, query)).Reason);
    }

    [Fact]
    public void ALowerCaseHexTimeIsHashedAsSent()
    {
        var hexTime = Now.ToString("x");
        var query = $"sign={Signer.Md5Hex(Key + Real + hexTime)}&t={hexTime}";

        Assert.True(Checker().Check(Requests.Play(Real, query)).Allowed);
    }

    [Fact]
    public void ValidUntilTimePlusTtlInBothForms()
    {
        var path = Signer.TypeCPath(Real, Now - 1801, Key);
        var query = Signer.TypeCQuery(Real, Now - 1801, Key);

        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Play(path)).Reason);
        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Play(Real, query)).Reason);
        Assert.True(Checker().Check(Requests.Play(Signer.TypeCPath(Real, Now - 1800, Key))).Allowed);
    }

    [Fact]
    public void TamperedOrForeignTokensAreBadSignatures()
    {
        var query = Signer.TypeCQuery(Real, Now, Key);
        var tampered = Signer.Flip(query, 5);

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Real, tampered)).Reason);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play("/live/cam2.m3u8", query)).Reason);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Play(Signer.TypeCPath(Real, Now, Key).Replace("cam1", "cam2"))).Reason);
    }

    [Fact]
    public void TheBackupKeyPasses()
    {
        Assert.True(Checker().Check(Requests.Play(Signer.TypeCPath(Real, Now, Backup))).Allowed);
        Assert.True(Checker().Check(Requests.Play(Real, Signer.TypeCQuery(Real, Now, Backup))).Allowed);
    }

    [Fact]
    public void ASignWithoutTimeIsMalformed()
    {
        var result = Checker().Check(Requests.Play(Real, "sign=a37fa50a5fb8f71214b1e7c95ec7a1bd"));

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
    }
}
