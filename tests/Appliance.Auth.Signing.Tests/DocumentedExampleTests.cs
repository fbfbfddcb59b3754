namespace Appliance.Auth.Signing.Tests;

/// <summary>
/// The signer makes exactly the URLs of docs/auth.md's worked examples (app live, stream stream1,
/// signed at 2026-01-01 00:00:00 UTC, Unix 1767225600), so the page and the tool agree.
/// </summary>
public sealed class DocumentedExampleTests
{
    private const long Instant = 1767225600;
    private const int DefaultTtl = 1800;
    private const string HexKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string HmacToken = "st=1767225600~exp=1767312000~acl=/live/stream1*~hmac=c41286940b0fb4966f50fa9e292f7703a070fd0506b264d5e1fbfa9cb17d48f1";

    [Theory]
    [InlineData("rtmp://HOST/live/stream1", "rtmp://HOST/live/stream1?auth_key=1767225600-0-0-cbe1d0acf1951307faaf3d57fe66f7bd")]
    [InlineData("http://HOST:8080/live/stream1.flv", "http://HOST:8080/live/stream1.flv?auth_key=1767225600-0-0-75036e33ce0d7c1dbea39dbfa03f21e7")]
    [InlineData("http://HOST:8080/live/stream1.m3u8", "http://HOST:8080/live/stream1.m3u8?auth_key=1767225600-0-0-7d5ee14b7e395f08dd9e55f3a86c649a")]
    public void Type_a(string url, string signed)
    {
        Assert.Equal(signed, Sign(SchemeNames.TypeA, "typeA-secret", url, Instant + DefaultTtl));
    }

    [Theory]
    [InlineData("http://HOST:8080/live/stream1.flv", "http://HOST:8080/202601010800/0d724c34e837a15ee2d1b972517b8cd2/live/stream1.flv")]
    [InlineData("http://HOST:8080/live/stream1.m3u8", "http://HOST:8080/202601010800/ebd50d4d436b4ec2fda7f99fc5d11173/live/stream1.m3u8")]
    public void Type_b(string url, string signed)
    {
        Assert.Equal(signed, Sign(SchemeNames.TypeB, "typeB-secret", url, Instant + DefaultTtl));
    }

    [Theory]
    [InlineData("http://HOST:8080/live/stream1.flv", TokenForm.Path, "http://HOST:8080/87741a03062af836334064c2c63887d6/6955B900/live/stream1.flv")]
    [InlineData("http://HOST:8080/live/stream1.flv", TokenForm.Query, "http://HOST:8080/live/stream1.flv?sign=87741a03062af836334064c2c63887d6&t=6955B900")]
    [InlineData("http://HOST:8080/live/stream1.m3u8", TokenForm.Path, "http://HOST:8080/dc0e6f06d6eaee3648e995b044592eeb/6955B900/live/stream1.m3u8")]
    public void Type_c(string url, TokenForm form, string signed)
    {
        Assert.Equal(signed, Sign(SchemeNames.TypeC, "typeC-secret", url, Instant + DefaultTtl, form));
    }

    [Theory]
    [InlineData("rtmp://HOST/live/stream1")]
    [InlineData("http://HOST:8080/live/stream1.flv")]
    public void Stream_secret(string url)
    {
        Assert.Equal($"{url}?txSecret=f77f99ad4d62d35ede95a0136b05a89d&txTime=6955C710", Sign(SchemeNames.StreamSecret, "push-secret", url, 0x6955C710));
    }

    [Theory]
    [InlineData("rtmp://HOST/live/stream1", TokenForm.Query, "rtmp://HOST/live/stream1?__token__=TOKEN")]
    [InlineData("rtmp://HOST/live/stream1", TokenForm.Path, "rtmp://HOST/live/__token__=TOKEN/stream1")]
    [InlineData("http://HOST:8080/live/stream1.flv", TokenForm.Query, "http://HOST:8080/live/stream1.flv?__token__=TOKEN")]
    [InlineData("http://HOST:8080/live/stream1.flv", TokenForm.Path, "http://HOST:8080/__token__=TOKEN/live/stream1.flv")]
    [InlineData("http://HOST:8080/live/stream1.m3u8", TokenForm.Path, "http://HOST:8080/__token__=TOKEN/live/stream1.m3u8")]
    public void Hmac_with_an_acl(string url, TokenForm form, string signed)
    {
        var request = new SignRequest
        {
            Scheme = SchemeNames.Hmac, Key = HexKey, Url = url, Expires = 1767312000, Start = Instant, Acl = "/live/stream1*", Form = form,
        };

        Assert.Equal(signed.Replace("TOKEN", HmacToken, StringComparison.Ordinal), UrlSigner.Sign(request));
    }

    [Fact]
    public void Hmac_bound_to_an_address()
    {
        var request = new SignRequest
        {
            Scheme = SchemeNames.Hmac, Key = HexKey, Url = "http://HOST:8080/live/stream1.flv", Expires = 1767312000, Start = Instant,
            Acl = "/live/stream1*", Ip = "203.0.113.7",
        };

        Assert.Equal(
            "http://HOST:8080/live/stream1.flv?__token__=ip=203.0.113.7~st=1767225600~exp=1767312000~acl=/live/stream1*~hmac=9f6da5916c0af075a1a055785767095ec3e2e4786b41bfa5161327c1fe3669c8",
            UrlSigner.Sign(request));
    }

    [Fact]
    public void Hmac_in_url_mode_signs_the_path_without_carrying_it()
    {
        var request = new SignRequest { Scheme = SchemeNames.Hmac, Key = HexKey, Url = "http://HOST:8080/live/stream1.flv", Expires = 1767312000, Start = Instant };

        Assert.Equal(
            "http://HOST:8080/live/stream1.flv?__token__=st=1767225600~exp=1767312000~hmac=5f1746658703d8e46bd9300916c3ecaaa89be43c7159610f9eb27503a05f6a51",
            UrlSigner.Sign(request));
    }

    private static string Sign(string scheme, string key, string url, long expires, TokenForm? form = null) =>
        UrlSigner.Sign(new SignRequest { Scheme = scheme, Key = key, Url = url, Expires = expires, Form = form });
}
