using Appliance.Auth.Config;
using Appliance.Auth.Tokens;

namespace Appliance.Auth.Signing.Tests;

/// <summary>
/// Every scheme, every kind of URL, every place the token can ride: the node's own checker takes
/// what the signer makes until the expiry asked for, and refuses it after.
/// </summary>
public sealed class CheckerAcceptanceTests
{
    private const long Now = 1767225600;
    private const long Expires = Now + 3600;
    private const string Key = "the-app-key";
    private const string HexKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static readonly string[] Urls =
    [
        "rtmp://127.0.0.1:1935/live/cam",
        "http://127.0.0.1:8080/live/cam.flv",
        "http://127.0.0.1:8080/live/cam.ts",
        "https://cdn.example/live/cam.m3u8",
        "https://cdn.example/live/cam.mpd",
        "http://127.0.0.1:8080/live/cam/42.ts",
        "http://127.0.0.1:8080/live/cam.flv?player=web",
    ];

    public static TheoryData<string, string, TokenForm?> Cases()
    {
        var data = new TheoryData<string, string, TokenForm?>();
        foreach (var url in Urls)
        {
            var rtmp = url.StartsWith("rtmp", StringComparison.Ordinal);
            data.Add(SchemeNames.TypeA, url, null);
            if (!rtmp)
            {
                data.Add(SchemeNames.TypeB, url, null);
                data.Add(SchemeNames.TypeC, url, TokenForm.Path);
            }
            data.Add(SchemeNames.TypeC, url, null);
            data.Add(SchemeNames.StreamSecret, url, null);
            data.Add(SchemeNames.Hmac, url, null);
            data.Add(SchemeNames.Hmac, url, TokenForm.Path);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_checker_takes_the_signed_url_until_it_expires(string scheme, string url, TokenForm? form)
    {
        var rule = Rule(scheme);
        var signed = UrlSigner.Sign(new SignRequest { Scheme = scheme, Key = rule.Key!, Url = url, Expires = Expires, Form = form, TtlSeconds = rule.TtlSeconds });
        var path = PathOf(url);

        var now = NodeCheckers.Check(rule, signed, "cam", Now);
        var last = NodeCheckers.Check(rule, signed, "cam", Expires - 1);
        var after = NodeCheckers.Check(rule, signed, "cam", Expires + 1);

        Assert.True(now.Result.Allowed, $"{signed}: {now.Result}");
        Assert.Equal(path, now.RealPath);
        Assert.True(last.Result.Allowed, $"{signed} a second before its expiry: {last.Result}");
        Assert.Equal(AuthRefusal.Expired, after.Result.Reason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Another_key_or_stream_is_refused(string scheme, string url, TokenForm? form)
    {
        var rule = Rule(scheme);
        var otherKey = Rule(scheme, scheme == SchemeNames.Hmac ? "0f1e2d3c4b5a69788796a5b4c3d2e1f0" : "another-key");
        var signed = UrlSigner.Sign(new SignRequest { Scheme = scheme, Key = rule.Key!, Url = url, Expires = Expires, Form = form, TtlSeconds = rule.TtlSeconds });
        var forOther = signed.Replace("/cam", "/cam2", StringComparison.Ordinal);

        Assert.Equal(AuthRefusal.BadSignature, NodeCheckers.Check(otherKey, signed, "cam", Now).Result.Reason);
        Assert.False(NodeCheckers.Check(rule, forOther, "cam2", Now).Result.Allowed, forOther);
    }

    [Fact]
    public void A_type_b_url_ends_at_the_whole_minute_before_an_expiry_between_minutes()
    {
        var rule = Rule(SchemeNames.TypeB);
        var expires = Expires + 45;
        var signed = UrlSigner.Sign(new SignRequest { Scheme = SchemeNames.TypeB, Key = Key, Url = Urls[1], Expires = expires, TtlSeconds = rule.TtlSeconds });

        Assert.True(NodeCheckers.Check(rule, signed, "cam", expires - 45).Result.Allowed);
        Assert.Equal(AuthRefusal.Expired, NodeCheckers.Check(rule, signed, "cam", expires - 44).Result.Reason);
    }

    [Fact]
    public void The_ttl_given_must_be_the_apps()
    {
        var rule = Rule(SchemeNames.TypeA);
        var signed = UrlSigner.Sign(new SignRequest { Scheme = SchemeNames.TypeA, Key = Key, Url = Urls[0], Expires = Expires, TtlSeconds = 60 });

        // Signed for a 60 s ttl, the URL carries a later time: the app's 600 s ttl lets it live on past the expiry.
        Assert.True(NodeCheckers.Check(rule, signed, "cam", Expires + 1).Result.Allowed);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(TokenForm.Path, null)]
    [InlineData(null, "/live/cam?*!/live/cam/*")]
    [InlineData(TokenForm.Path, "/live/cam?*!/live/cam/*")]
    public void Hmac_fields_the_query_cannot_hold_raw_are_escaped_and_still_check(TokenForm? form, string? acl)
    {
        var rule = Rule(SchemeNames.Hmac);
        var signed = UrlSigner.Sign(new SignRequest
        {
            Scheme = SchemeNames.Hmac, Key = HexKey, Url = "http://127.0.0.1:8080/live/cam.m3u8", Expires = Expires, Start = Now - 10,
            Acl = acl, Ip = NodeCheckers.Client.ToString(), Id = "viewer#1", Data = "a&b+c", Form = form,
        });

        var check = NodeCheckers.Check(rule, signed, "cam", Now);

        Assert.True(check.Result.Allowed, $"{signed}: {check.Result}");
        Assert.Equal("/live/cam.m3u8", check.RealPath);
        Assert.Equal(AuthRefusal.NotYetValid, NodeCheckers.Check(rule, signed, "cam", Now - 11).Result.Reason);
    }

    [Fact]
    public void The_scheme_names_are_the_configs()
    {
        Assert.Equal(
            [AuthSchemes.TypeA, AuthSchemes.TypeB, AuthSchemes.TypeC, AuthSchemes.StreamSecret, AuthSchemes.Hmac],
            SchemeNames.All);
    }

    private static AuthRule Rule(string scheme, string? key = null) => new()
    {
        Scheme = scheme,
        Key = key ?? (scheme == SchemeNames.Hmac ? HexKey : Key),
        TtlSeconds = 600,
    };

    private static string PathOf(string url)
    {
        var start = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        var query = url.IndexOf('?', start);
        return query < 0 ? url[start..] : url[start..query];
    }
}
