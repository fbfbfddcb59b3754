using Appliance.Auth.Tokens;
using System.Security.Cryptography;
using System.Text;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

/// <summary>
/// The published vectors of specs/AUTH.md, byte for byte, first as bare hashes and then through the
/// checkers. The stream-secret and HMAC vectors have no published values; theirs were computed
/// once with md5sum and `openssl dgst -sha256 -mac HMAC -macopt hexkey:...` and pasted here.
/// </summary>
public class AuthVectorTests
{
    private const string AliyunKey = "aliyuncdnexp1234";
    private const long Aug15_2015 = 1439596800; // 2015-08-15 00:00 UTC = 08:00 UTC+8 = 0x55CE8100
    private const string EdgeKey = "00112233445566778899aabbccddeeff";

    [Theory]
    [InlineData("/video/standard/1K.html-1444435200-0-0-aliyuncdnexp1234", "80cd3862d699b7118eed99103f2a3a4f")]
    [InlineData("aliyuncdnexp1234201508150800/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3", "9044548ef1527deadafa49a890a377f0")]
    [InlineData("aliyuncdnexp1234/test.flv55CE8100", "a37fa50a5fb8f71214b1e7c95ec7a1bd")]
    [InlineData("tencentkey123stream15C2ACC80", "f48007f07b317e30607b3f85b3db4172")]
    public void Md5VectorsHashAsPublished(string input, string md5)
    {
        Assert.Equal(md5, Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(input))));
    }

    [Fact]
    public void TypeAVectorPasses()
    {
        var checker = new TypeAChecker(AliyunKey, null, 1800, new ManualClock(1444435200));

        var result = checker.Check(Requests.Play("/video/standard/1K.html", "auth_key=1444435200-0-0-80cd3862d699b7118eed99103f2a3a4f"));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void TypeBVectorPassesAndYieldsTheRealPath()
    {
        var checker = new TypeBChecker(AliyunKey, null, 1800, new ManualClock(Aug15_2015));
        var path = "/201508150800/9044548ef1527deadafa49a890a377f0/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3";

        var result = checker.Check(Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal("/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3", result.RealPath(path));
    }

    [Fact]
    public void TypeBTimeIsUtcPlus8()
    {
        Assert.True(TypeBChecker.TryParseUtc8("201508150800", out long unix));
        Assert.Equal(Aug15_2015, unix);
    }

    [Fact]
    public void TypeCVectorPassesInPathForm()
    {
        var checker = new TypeCChecker(AliyunKey, null, 1800, "sign", "t", new ManualClock(Aug15_2015));
        var path = "/a37fa50a5fb8f71214b1e7c95ec7a1bd/55CE8100/test.flv";

        var result = checker.Check(Requests.Play(path));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal("/test.flv", result.RealPath(path));
    }

    [Fact]
    public void TypeCVectorPassesInQueryForm()
    {
        var checker = new TypeCChecker(AliyunKey, null, 1800, "sign", "t", new ManualClock(Aug15_2015));

        var result = checker.Check(Requests.Play("/test.flv", "sign=a37fa50a5fb8f71214b1e7c95ec7a1bd&t=55CE8100"));

        Assert.True(result.Allowed, result.ToString());
        Assert.Equal(0, result.StripLength);
    }

    [Fact]
    public void StreamSecretVectorPasses()
    {
        // 0x5C2ACC80 = 1546308736.
        var checker = new StreamSecretChecker("tencentkey123", null, 0, "txSecret", "txTime", new ManualClock(1546308736));

        var result = checker.Check(Requests.Publish("/live/stream1", "txSecret=f48007f07b317e30607b3f85b3db4172&txTime=5C2ACC80", stream: "stream1"));

        Assert.True(result.Allowed, result.ToString());
    }

    [Theory]
    [InlineData("st=1700000000~exp=1700003600~acl=/live/*~hmac=9807d10349ed496996f0c225730dc2911b3187baed59ad712878b7fc2b1e2eb8", "/live/cam1.m3u8")]
    [InlineData("ip=203.0.113.7~exp=1700003600~acl=/live/cam1*~hmac=26162dab43a6fb9510602e3d0e04dd4df0226f3c759609f8f27168915f20b0f1", "/live/cam1/seg7.ts")]
    [InlineData("exp=1700003600~hmac=6d8516e18e902b428e6389c639e4a88319ec48738d9916748ba2f5c12c97294e", "/live/cam1.m3u8")]
    [InlineData("exp=1700003600~id=viewer42~data=abc~hmac=ca98949ce2a5e23ef2839d65a4c2c59f16f079fbe915869db3da49136c993903", "/live/cam1.m3u8")]
    public void HmacVectorsPass(string token, string path)
    {
        var checker = new HmacChecker(EdgeKey, null, 0, "__token__", new ManualClock(1700000100));

        var result = checker.Check(Requests.Play(path, "__token__=" + token, ip: System.Net.IPAddress.Parse("203.0.113.7")));

        Assert.True(result.Allowed, result.ToString());
    }

    [Fact]
    public void SignerHelperReproducesTheVectors()
    {
        // The helpers the other tests sign with are checked against the published values too.
        Assert.Equal("auth_key=1444435200-0-0-80cd3862d699b7118eed99103f2a3a4f", Signer.TypeA("/video/standard/1K.html", 1444435200, AliyunKey));
        Assert.Equal("/a37fa50a5fb8f71214b1e7c95ec7a1bd/55CE8100/test.flv", Signer.TypeCPath("/test.flv", Aug15_2015, AliyunKey));
        Assert.Equal(
            "/201508150800/9044548ef1527deadafa49a890a377f0/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3",
            Signer.TypeBPath("/4/44/44c0909bcfc20a01afaf256ca99a8b8b.mp3", "201508150800", AliyunKey));
        Assert.Equal(
            "exp=1700003600~id=viewer42~data=abc~hmac=ca98949ce2a5e23ef2839d65a4c2c59f16f079fbe915869db3da49136c993903",
            Signer.EdgeUrlToken(EdgeKey, "/live/cam1.m3u8", ["exp=1700003600"], ["id=viewer42", "data=abc"]));
    }

    [Fact]
    public void ResultsDefaultToRefused()
    {
        AuthResult unset = default;

        Assert.False(unset.Allowed);
        Assert.Equal("not checked", unset.Detail);
    }
}
