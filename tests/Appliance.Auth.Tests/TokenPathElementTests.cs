using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Text;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

/// <summary>Where an HMAC path element starts and ends, for the checker and for routing, with hostile paths.</summary>
public class TokenPathElementTests
{
    private const string Key = "00112233445566778899aabbccddeeff";
    private const long Now = 1_700_000_000;
    private static readonly string Hex = new('a', 64);

    private readonly ManualClock _clock = new(Now);

    private HmacChecker Checker(string name = "__token__") => new(Key, null, 0, name, _clock);

    private static string Strip(string path) => AuthPathPrefix.TryStripTokenElement(path, out var real) ? real : "(none)";

    [Theory]
    [InlineData("/__token__=exp=1~hmac={0}/live/cam.flv", "/live/cam.flv")]
    [InlineData("/live/__token__=exp=1~hmac={0}/cam.flv", "/live/cam.flv")]
    [InlineData("/live/cam/__token__=exp=1~hmac={0}/42.ts", "/live/cam/42.ts")]
    [InlineData("/live/cam.flv/__token__=exp=1~hmac={0}", "/live/cam.flv")]
    [InlineData("/__token__=st=1~exp=2~acl=/live/cam*~hmac={0}/live/cam.m3u8", "/live/cam.m3u8")]
    [InlineData("/__token__=ip=1.2.3.4~exp=2~acl=/a/*!/b/*~hmac={0}/live/cam.m3u8", "/live/cam.m3u8")]
    [InlineData("/__token__=exp=2~acl=%2Flive%2Fcam*~hmac={0}/live/cam.m3u8", "/live/cam.m3u8")]
    [InlineData("/hdnts=exp=2~acl=/live/*~hmac={0}/live/cam.flv", "/live/cam.flv")]
    [InlineData("/__token__=exp%3D2~acl%3D%2Flive%2F*~hmac%3D{0}/live/cam.flv", "/live/cam.flv")]
    [InlineData("/__token__=exp=1~hmac={0}", "/")]
    public void RoutingTakesACompleteElementOutWhereverItIs(string template, string real)
    {
        Assert.Equal(real, Strip(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Hex)));
    }

    [Theory]
    [InlineData("/live/cam.flv")]
    [InlineData("/live/a=b/cam.flv")]
    [InlineData("/__token__=exp=1~hmac=abc/live/cam.flv")]
    [InlineData("/__token__=exp=1~hmac={0}0/live/cam.flv")]
    [InlineData("/__token__=exp=1~hmac={0}x/live/cam.flv")]
    [InlineData("/__token__=exp=1~hmac:{0}/live/cam.flv")]
    [InlineData("/__token__=acl=/live/*~hmac={0}/live/cam.flv")]
    [InlineData("/__token__=id=x~hmac={0}/live/cam.flv")]
    [InlineData("/=exp=1~hmac={0}/live/cam.flv")]
    [InlineData("/a b=exp=1~hmac={0}/live/cam.flv")]
    [InlineData("~hmac={0}")]
    [InlineData("")]
    public void RoutingLeavesPathsWithoutACompleteElementAlone(string template)
    {
        Assert.Equal("(none)", Strip(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Hex)));
    }

    [Fact]
    public void TheCheckerFindsItsOwnNameAnywhereAndEndsTheElementAtTheHmac()
    {
        var token = Signer.EdgeToken(Key, $"exp={Now + 60}", "acl=/live/cam/*");
        var path = $"/live/cam/__token__={token}/seg12.ts";

        var outcome = TokenPathElement.Find(path, "__token__", out int start, out int length, out int valueStart);

        Assert.Equal(TokenPathElement.Outcome.Found, outcome);
        Assert.Equal("/live/cam".Length, start);
        Assert.Equal($"/__token__={token}", path.Substring(start, length));
        Assert.Equal(token, path[valueStart..(start + length)]);
        Assert.True(Checker().Check(Requests.Play(path)).Allowed);
    }

    [Theory]
    [InlineData("/__token__=exp=1700000060~acl=/live/*~hmac=abc/live/cam.flv")]
    [InlineData("/__token__=exp=1700000060~acl=/live/*/live/cam.flv")]
    [InlineData("/__token__=exp=1700000060~acl=/live/*~hmac={0}.flv")]
    [InlineData("/live/__token__=garbage/cam.flv")]
    [InlineData("/live/__token__=/cam.flv")]
    public void AnElementThatDoesNotEndAtAnHmacIsRefusedSayingWhatWasExpected(string template)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Hex);

        var result = Checker().Check(Requests.Play(path));

        Assert.Equal(AuthRefusal.Malformed, result.Reason);
        Assert.Equal("the __token__= path element must end with ~hmac= and 64 hex digits, then / or the end of the path", result.Detail);
    }

    [Fact]
    public void ARawSlashAclInAPathElementIsVerifiedAndMatchedAgainstTheRealPath()
    {
        var token = Signer.EdgeToken(Key, $"exp={Now + 60}", "acl=/live/cam1*");

        var allowed = Checker().Check(Requests.Play($"/__token__={token}/live/cam1.flv"));
        var elsewhere = Checker().Check(Requests.Play($"/__token__={token}/live/cam2.flv"));

        Assert.True(allowed.Allowed, allowed.ToString());
        Assert.Equal("/live/cam1.flv", allowed.RealPath($"/__token__={token}/live/cam1.flv"));
        Assert.Equal(AuthRefusal.AclMismatch, elsewhere.Reason);
    }

    [Fact]
    public void AnElementUnderAnotherNameIsNotTheCheckersToken()
    {
        var token = Signer.EdgeToken(Key, $"exp={Now + 60}", "acl=/live/*");

        Assert.Equal(AuthRefusal.MissingToken, Checker().Check(Requests.Play($"/hdnts={token}/live/cam.flv")).Reason);
        Assert.True(Checker("hdnts").Check(Requests.Play($"/hdnts={token}/live/cam.flv")).Allowed);
    }

    [Fact]
    public void TheFirstElementOfTheNameIsTheToken()
    {
        var good = Signer.EdgeToken(Key, $"exp={Now + 60}", "acl=/*");
        var path = $"/live/__token__={good}/__token__={good}/cam.flv";

        var result = Checker().Check(Requests.Play(path));

        // The second element stays in the real path, which is then no stream; the caller refuses that.
        Assert.True(result.Allowed, result.ToString());
        Assert.Equal($"/live/__token__={good}/cam.flv", result.RealPath(path));
    }

    [Theory]
    [InlineData(8000, "/a=exp=")]
    [InlineData(8000, "/")]
    [InlineData(2000, "/x=exp=1~hmac")]
    [InlineData(500, "/__token__=exp=1~hmac=" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public void HostileRepetitionsFindNothingAndEndQuickly(int repeats, string unit)
    {
        var path = string.Concat(Enumerable.Repeat(unit, repeats)) + "/live/cam.flv";
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal("(none)", Strip(path));
        // Linear scans: well under a second even on a loaded machine; a quadratic one takes far longer.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("/live/__token__=exp=1~acl=", true)]
    [InlineData("/__token__=st=1~exp=2~acl=/live", true)]
    [InlineData("/__token__=ip=1.2.3.4~exp=2", true)]
    [InlineData("/__token__=exp%3D2", true)]
    [InlineData("/live/cam", false)]
    [InlineData("/live/a=b", false)]
    [InlineData("/live/__token__=acl=/x", false)]
    [InlineData("/live/=exp=1", false)]
    public void ATokenStartIsNameThenIpStOrExp(string path, bool starts)
    {
        Assert.Equal(starts, TokenPathElement.HasTokenStart(path));
    }
}
