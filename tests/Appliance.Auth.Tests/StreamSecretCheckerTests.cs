using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

public class StreamSecretCheckerTests
{
    private const string Key = "push-key";
    private const string Backup = "push-key-2";
    private const long Now = 1_700_000_000;
    private const string Path = "/live/cam1";

    private readonly ManualClock _clock = new(Now);

    private StreamSecretChecker Checker(int grace = 0, string secretName = "txSecret", string timeName = "txTime") =>
        new(Key, Backup, grace, secretName, timeName, _clock);

    [Fact]
    public void HexExpiryPassesUntilItIsReached()
    {
        var query = Signer.StreamSecret("cam1", Now.ToString("X"), Key);
        Assert.True(Checker().Check(Requests.Publish(Path, query)).Allowed);

        _clock.UnixSeconds++;

        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Publish(Path, query)).Reason);
    }

    [Fact]
    public void DecimalExpiryIsReadAsDecimal()
    {
        var query = Signer.StreamSecret("cam1", (Now + 60).ToString(), Key);

        Assert.True(Checker().Check(Requests.Publish(Path, query)).Allowed);
        _clock.UnixSeconds += 61;
        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Publish(Path, query)).Reason);
    }

    [Fact]
    public void GraceWidensTheExpiry()
    {
        var query = Signer.StreamSecret("cam1", (Now - 30).ToString("X"), Key);

        Assert.Equal(AuthRefusal.Expired, Checker().Check(Requests.Publish(Path, query)).Reason);
        Assert.True(Checker(grace: 30).Check(Requests.Publish(Path, query)).Allowed);
    }

    [Fact]
    public void OnlyTheStreamNameIsSigned()
    {
        var query = Signer.StreamSecret("cam1", (Now + 60).ToString("X"), Key);

        Assert.True(Checker().Check(Requests.Publish("/other-app/cam1", query, stream: "cam1")).Allowed);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Publish("/live/cam2", query, stream: "cam2")).Reason);
    }

    [Fact]
    public void TamperedSecretOrTimeIsABadSignature()
    {
        var expiry = (Now + 60).ToString("X");
        var query = Signer.StreamSecret("cam1", expiry, Key);

        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Publish(Path, Signer.Flip(query, 9))).Reason);
        Assert.Equal(AuthRefusal.BadSignature, Checker().Check(Requests.Publish(Path, query.Replace(expiry, (Now + 600).ToString("X")))).Reason);
    }

    [Fact]
    public void TheBackupKeyAndConfiguredNamesWork()
    {
        var expiry = (Now + 60).ToString("X");
        var query = $"sec={Signer.Md5Hex(Backup + "cam1" + expiry)}&exp={expiry}";

        Assert.True(Checker(secretName: "sec", timeName: "exp").Check(Requests.Publish(Path, query)).Allowed);
    }

    [Fact]
    public void MissingPiecesAreReported()
    {
        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Publish(Path, "txTime=5C2ACC80")).Reason);
        Assert.Equal(AuthRefusal.Malformed, Checker().Check(Requests.Publish(Path, "txSecret=f48007f07b317e30607b3f85b3db4172")).Reason);
    }
}
