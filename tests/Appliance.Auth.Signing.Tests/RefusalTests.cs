namespace Appliance.Auth.Signing.Tests;

/// <summary>What cannot be signed is refused with a reason, never signed into a URL the node would refuse.</summary>
public sealed class RefusalTests
{
    private const string HexKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    [Theory]
    [InlineData("typeA", "ftp://host/live/cam", "'ftp://host/live/cam' is not an rtmp://, http:// or https:// URL")]
    [InlineData("typeA", "live/cam.flv", "'live/cam.flv' is not an rtmp://, http:// or https:// URL")]
    [InlineData("typeA", "http://host", "'http://host' has no host or no path")]
    [InlineData("typeA", "http:///live/cam.flv", "'http:///live/cam.flv' has no host or no path")]
    [InlineData("typeA", "http://host/live/cam.mp4", "an HTTP URL's path is /{app}/{stream}.flv, .ts, .m3u8 or .mpd (or a segment /{app}/{stream}/{file}), not '/live/cam.mp4'")]
    [InlineData("typeA", "http://host/cam.flv", "an HTTP URL's path is /{app}/{stream}.flv, .ts, .m3u8 or .mpd (or a segment /{app}/{stream}/{file}), not '/cam.flv'")]
    [InlineData("typeA", "rtmp://host/live", "an RTMP URL's path is /{app}/{stream}, not '/live'")]
    [InlineData("typeA", "rtmp://host/live/a/b", "an RTMP URL's path is /{app}/{stream}, not '/live/a/b'")]
    [InlineData("typeA", "http://host/live/a%20b.flv", "the path '/live/a%20b.flv' has a '%', a space or a backslash: write the stream's name as it is")]
    [InlineData("typeA", "http://host/live/cam.flv#t=5", "the URL has a #fragment, which never reaches the node")]
    [InlineData("typeA", "http://host/live/cam.flv?auth_key=old", "the URL's query already has a 'auth_key' parameter")]
    [InlineData("typeC", "http://host/live/cam.flv?a=1&t=5", "the URL's query already has a 't' parameter")]
    [InlineData("typeB", "rtmp://host/live/cam", "typeB carries its token in the path, which RTMP has no place for")]
    [InlineData("hmac", "http://host/live/cam.flv?__token__", "the URL's query already has a '__token__' parameter")]
    [InlineData("callback", "http://host/live/cam.flv", "the callback scheme has no token to sign")]
    [InlineData("none", "http://host/live/cam.flv", "the none scheme has no token to sign")]
    [InlineData("typeD", "http://host/live/cam.flv", "unknown scheme 'typeD'; schemes with a token: typeA, typeB, typeC, streamSecret, hmac")]
    public void A_url_or_scheme_that_cannot_be_signed_says_why(string scheme, string url, string error)
    {
        Assert.Equal(error, Refusal(new SignRequest { Scheme = scheme, Key = scheme == "hmac" ? HexKey : "key", Url = url, Expires = 2_000_000_000 }));
    }

    [Theory]
    [InlineData("typeA", TokenForm.Path, "typeA carries its token in the query only")]
    [InlineData("streamSecret", TokenForm.Path, "streamSecret carries its token in the query only")]
    [InlineData("typeB", TokenForm.Query, "typeB carries its token in the path only")]
    public void A_form_the_scheme_does_not_have_is_refused(string scheme, TokenForm form, string error)
    {
        Assert.Equal(error, Refusal(new SignRequest { Scheme = scheme, Key = "key", Url = "http://host/live/cam.flv", Expires = 2_000_000_000, Form = form }));
    }

    [Fact]
    public void Type_c_path_form_needs_an_http_url()
    {
        Assert.Equal("RTMP has no path for typeC's prefix: use the query form",
            Refusal(new SignRequest { Scheme = "typeC", Key = "key", Url = "rtmp://host/live/cam", Expires = 2_000_000_000, Form = TokenForm.Path }));
    }

    [Theory]
    [InlineData("a-b", "0", "typeA's rand must be letters, digits or '_', not 'a-b'")]
    [InlineData("", "0", "typeA's rand must not be empty")]
    [InlineData("0", "u&v", "typeA's uid must be letters, digits or '_' or '-', not 'u&v'")]
    public void Type_a_fields_that_would_break_the_token_are_refused(string rand, string uid, string error)
    {
        Assert.Equal(error, Refusal(new SignRequest { Scheme = "typeA", Key = "key", Url = "http://host/live/cam.flv", Expires = 2_000_000_000, Rand = rand, Uid = uid }));
    }

    [Theory]
    [InlineData("not-hex", null, "an hmac key is hex (an even number of 0-9, a-f)")]
    [InlineData("abc", null, "an hmac key is hex (an even number of 0-9, a-f)")]
    [InlineData(HexKey, "/live/~cam", "the hmac field acl must be visible ASCII without '~', '%' or spaces, not '/live/~cam'")]
    [InlineData(HexKey, "/live/%2Fcam", "the hmac field acl must be visible ASCII without '~', '%' or spaces, not '/live/%2Fcam'")]
    [InlineData(HexKey, "/live/ cam", "the hmac field acl must be visible ASCII without '~', '%' or spaces, not '/live/ cam'")]
    [InlineData(HexKey, "", "the hmac field acl must be visible ASCII without '~', '%' or spaces, not ''")]
    public void Hmac_keys_and_fields_that_cannot_be_signed_are_refused(string key, string? acl, string error)
    {
        Assert.Equal(error, Refusal(new SignRequest { Scheme = "hmac", Key = key, Url = "http://host/live/cam.flv", Expires = 2_000_000_000, Acl = acl }));
    }

    [Fact]
    public void An_hmac_token_that_would_start_after_it_expires_is_refused()
    {
        Assert.Equal("the token would start after it expires",
            Refusal(new SignRequest { Scheme = "hmac", Key = HexKey, Url = "http://host/live/cam.flv", Expires = 2_000_000_000, Start = 2_000_000_000 }));
    }

    [Theory]
    [InlineData(-1, 1800, "the expiry must be a Unix time between 1970 and 9999")]
    [InlineData(253_402_300_800, 1800, "the expiry must be a Unix time between 1970 and 9999")]
    [InlineData(100, 1800, "the expiry must be at least the ttl (1800 s) after 1970")]
    [InlineData(2_000_000_000, -1, "the ttl must not be negative")]
    public void Expiries_and_ttls_out_of_range_are_refused(long expires, int ttl, string error)
    {
        Assert.Equal(error, Refusal(new SignRequest { Scheme = "typeC", Key = "key", Url = "http://host/live/cam.flv", Expires = expires, TtlSeconds = ttl }));
    }

    [Fact]
    public void An_empty_key_is_refused()
    {
        Assert.Equal("the key is empty", Refusal(new SignRequest { Scheme = "typeA", Key = "", Url = "http://host/live/cam.flv", Expires = 2_000_000_000 }));
    }

    [Fact]
    public void A_stream_secret_expiry_after_2106_is_written_in_decimal_as_the_node_reads_it()
    {
        var signed = UrlSigner.Sign(new SignRequest { Scheme = "streamSecret", Key = "key", Url = "rtmp://host/live/cam", Expires = 5_000_000_000 });

        Assert.EndsWith("&txTime=5000000000", signed, StringComparison.Ordinal);
    }

    private static string Refusal(SignRequest request) => Assert.Throws<SigningException>(() => UrlSigner.Sign(request)).Message;
}
