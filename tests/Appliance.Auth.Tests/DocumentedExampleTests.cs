using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Auth.Schemes;
using Appliance.Auth.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

/// <summary>
/// Every worked example of docs/auth.md, as the literal text printed there: recomputed from the
/// documented formula (so the page cannot drift from it) and passed through the checker a minute
/// after the example's instant. A failure here means the page is wrong or the node changed.
/// </summary>
public class DocumentedExampleTests
{
    private const long Instant = 1767225600; // 2026-01-01 00:00:00 UTC, hex 6955B900
    private const string HmacKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string Token = "st=1767225600~exp=1767312000~acl=/live/stream1*~hmac=c41286940b0fb4966f50fa9e292f7703a070fd0506b264d5e1fbfa9cb17d48f1";

    private readonly ManualClock _clock = new(Instant + 60);

    private static void AssertAllowed(AuthResult result) => Assert.True(result.Allowed, result.ToString());

    [Theory]
    [InlineData("/live/stream1", "cbe1d0acf1951307faaf3d57fe66f7bd")]
    [InlineData("/live/stream1.flv", "75036e33ce0d7c1dbea39dbfa03f21e7")]
    [InlineData("/live/stream1.m3u8", "7d5ee14b7e395f08dd9e55f3a86c649a")]
    public void TypeA(string path, string md5)
    {
        var query = $"auth_key=1767225600-0-0-{md5}";

        Assert.Equal(query, Signer.TypeA(path, Instant, "typeA-secret"));
        AssertAllowed(new TypeAChecker("typeA-secret", null, 1800, _clock).Check(Requests.Play(path, query)));
    }

    [Theory]
    [InlineData("/live/stream1.flv", "/202601010800/0d724c34e837a15ee2d1b972517b8cd2/live/stream1.flv")]
    [InlineData("/live/stream1.m3u8", "/202601010800/ebd50d4d436b4ec2fda7f99fc5d11173/live/stream1.m3u8")]
    public void TypeB(string path, string urlPath)
    {
        Assert.Equal(urlPath, Signer.TypeBPath(path, "202601010800", "typeB-secret"));
        var result = new TypeBChecker("typeB-secret", null, 1800, _clock).Check(Requests.Play(urlPath));

        AssertAllowed(result);
        Assert.Equal(path, result.RealPath(urlPath));
    }

    [Theory]
    [InlineData("/live/stream1.flv", "/87741a03062af836334064c2c63887d6/6955B900/live/stream1.flv", null)]
    [InlineData("/live/stream1.flv", "/live/stream1.flv", "sign=87741a03062af836334064c2c63887d6&t=6955B900")]
    [InlineData("/live/stream1.m3u8", "/dc0e6f06d6eaee3648e995b044592eeb/6955B900/live/stream1.m3u8", null)]
    public void TypeC(string path, string urlPath, string? query)
    {
        Assert.Equal(query ?? urlPath, query is null ? Signer.TypeCPath(path, Instant, "typeC-secret") : Signer.TypeCQuery(path, Instant, "typeC-secret"));
        var result = new TypeCChecker("typeC-secret", null, 1800, "sign", "t", _clock).Check(Requests.Play(urlPath, query));

        AssertAllowed(result);
        Assert.Equal(path, result.RealPath(urlPath));
    }

    [Theory]
    [InlineData("/live/stream1")]
    [InlineData("/live/stream1.flv")]
    public void StreamSecret(string path)
    {
        const string query = "txSecret=f77f99ad4d62d35ede95a0136b05a89d&txTime=6955C710";

        Assert.Equal(query, Signer.StreamSecret("stream1", "6955C710", "push-secret"));
        AssertAllowed(new StreamSecretChecker("push-secret", null, 0, "txSecret", "txTime", _clock).Check(Requests.Publish(path, query, stream: "stream1")));
    }

    [Fact]
    public void TheHmacTokenIsTheDocumentedFormula()
    {
        Assert.Equal(Token, Signer.EdgeToken(HmacKey, "st=1767225600", "exp=1767312000", "acl=/live/stream1*"));
    }

    [Theory]
    // Each row of the HMAC table: the path as the node sees it, the query, and the path the acl is matched against.
    [InlineData("/live/stream1", "__token__=" + Token, "/live/stream1")]
    [InlineData("/live/__token__=" + Token + "/stream1", null, "/live/stream1")]
    [InlineData("/live/stream1.flv", "__token__=" + Token, "/live/stream1.flv")]
    [InlineData("/__token__=" + Token + "/live/stream1.flv", null, "/live/stream1.flv")]
    [InlineData("/live/__token__=" + Token + "/stream1.ts", null, "/live/stream1.ts")]
    [InlineData("/__token__=" + Token + "/live/stream1.m3u8", null, "/live/stream1.m3u8")]
    [InlineData("/__token__=" + Token + "/live/stream1/42.ts", null, "/live/stream1/42.ts")]
    [InlineData("/live/stream1/42.ts", "__token__=" + Token, "/live/stream1/42.ts")]
    [InlineData("/__token__=st=1767225600~exp=1767312000~acl=%2Flive%2Fstream1*~hmac=c41286940b0fb4966f50fa9e292f7703a070fd0506b264d5e1fbfa9cb17d48f1/live/stream1.flv", null, "/live/stream1.flv")]
    public void OneHmacTokenPlaysStream1InEveryForm(string path, string? query, string realPath)
    {
        var result = new HmacChecker(HmacKey, null, 0, "__token__", _clock).Check(Requests.Play(path, query));

        AssertAllowed(result);
        Assert.Equal(realPath, result.RealPath(path));
    }

    [Fact]
    public void TheIpBoundToken()
    {
        const string token = "ip=203.0.113.7~st=1767225600~exp=1767312000~acl=/live/stream1*~hmac=9f6da5916c0af075a1a055785767095ec3e2e4786b41bfa5161327c1fe3669c8";
        var checker = new HmacChecker(HmacKey, null, 0, "__token__", _clock);

        Assert.Equal(token, Signer.EdgeToken(HmacKey, "ip=203.0.113.7", "st=1767225600", "exp=1767312000", "acl=/live/stream1*"));
        AssertAllowed(checker.Check(Requests.Play("/live/stream1.flv", "__token__=" + token, ip: System.Net.IPAddress.Parse("203.0.113.7"))));
        Assert.Equal(AuthRefusal.WrongIp, checker.Check(Requests.Play("/live/stream1.flv", "__token__=" + token)).Reason);
    }

    [Fact]
    public void TheUrlModeToken()
    {
        const string token = "st=1767225600~exp=1767312000~hmac=5f1746658703d8e46bd9300916c3ecaaa89be43c7159610f9eb27503a05f6a51";
        var checker = new HmacChecker(HmacKey, null, 0, "__token__", _clock);

        Assert.Equal(token, Signer.EdgeUrlToken(HmacKey, "/live/stream1.flv", ["st=1767225600", "exp=1767312000"], []));
        AssertAllowed(checker.Check(Requests.Play("/live/stream1.flv", "__token__=" + token)));
        Assert.Equal(AuthRefusal.BadSignature, checker.Check(Requests.Play("/live/stream1.ts", "__token__=" + token)).Reason);
    }

    [Theory]
    // The ACL table: what each acl covers and what it does not.
    [InlineData("/live/stream1/*", "/live/stream1/42.ts", true)]
    [InlineData("/live/stream1/*", "/live/stream1.flv", false)]
    [InlineData("/live/stream1/*", "/live/stream1.m3u8", false)]
    [InlineData("/live/stream1/*", "/live/stream1", false)]
    [InlineData("/live/stream1*", "/live/stream1", true)]
    [InlineData("/live/stream1*", "/live/stream1.flv", true)]
    [InlineData("/live/stream1*", "/live/stream1.ts", true)]
    [InlineData("/live/stream1*", "/live/stream1.m3u8", true)]
    [InlineData("/live/stream1*", "/live/stream1/42.ts", true)]
    [InlineData("/live/stream1*", "/live/stream10.flv", true)]
    [InlineData("/live/stream1!/live/stream1.*!/live/stream1/*", "/live/stream1", true)]
    [InlineData("/live/stream1!/live/stream1.*!/live/stream1/*", "/live/stream1.flv", true)]
    [InlineData("/live/stream1!/live/stream1.*!/live/stream1/*", "/live/stream1.m3u8", true)]
    [InlineData("/live/stream1!/live/stream1.*!/live/stream1/*", "/live/stream1/42.ts", true)]
    [InlineData("/live/stream1!/live/stream1.*!/live/stream1/*", "/live/stream10.flv", false)]
    [InlineData("/live/*", "/live/other.flv", true)]
    [InlineData("/live/*", "/vod/stream1.flv", false)]
    public void TheAclTable(string acl, string path, bool covered)
    {
        var token = Signer.EdgeToken(HmacKey, "exp=1767312000", "acl=" + acl);

        var result = new HmacChecker(HmacKey, null, 0, "__token__", _clock).Check(Requests.Play(path, "__token__=" + token));

        Assert.Equal(covered ? AuthRefusal.None : AuthRefusal.AclMismatch, result.Reason);
    }
}
