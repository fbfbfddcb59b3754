namespace Appliance.Auth.Signing;

/// <summary>
/// Makes the URL a node's token checker accepts until a given time, for each scheme with a token
/// (docs/auth.md has the formulas). Pure: the caller says what time it is by the expiry it asks for.
/// </summary>
public static class UrlSigner
{
    /// <summary>The signed URL; a <see cref="SigningException"/> says why a request cannot be signed.</summary>
    public static string Sign(SignRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Key))
        {
            throw new SigningException("the key is empty");
        }
        if (request.Expires is < 0 or > 253_402_300_799)
        {
            throw new SigningException("the expiry must be a Unix time between 1970 and 9999");
        }
        var target = TargetUrl.Parse(request.Url);
        return request.Scheme switch
        {
            SchemeNames.TypeA => TypeASigner.Sign(request, target),
            SchemeNames.TypeB => TypeBSigner.Sign(request, target),
            SchemeNames.TypeC => TypeCSigner.Sign(request, target),
            SchemeNames.StreamSecret => StreamSecretSigner.Sign(request, target),
            SchemeNames.Hmac => HmacSigner.Sign(request, target),
            "none" or "callback" => throw new SigningException($"the {request.Scheme} scheme has no token to sign"),
            _ => throw new SigningException($"unknown scheme '{request.Scheme}'; schemes with a token: {string.Join(", ", SchemeNames.All)}"),
        };
    }

    /// <summary>Type A/B/C carry when the URL was signed and the node adds its ttl: the time that makes the URL end at the expiry.</summary>
    internal static long SignedAt(SignRequest request)
    {
        if (request.TtlSeconds < 0)
        {
            throw new SigningException("the ttl must not be negative");
        }
        var signedAt = request.Expires - request.TtlSeconds;
        if (signedAt < 0)
        {
            throw new SigningException($"the expiry must be at least the ttl ({request.TtlSeconds} s) after 1970");
        }
        return signedAt;
    }

    /// <summary>A scheme that carries its token in one place only refuses to be asked for the other.</summary>
    internal static void RequireForm(SignRequest request, TokenForm only, string scheme)
    {
        if (request.Form is { } form && form != only)
        {
            throw new SigningException($"{scheme} carries its token in the {(only == TokenForm.Query ? "query" : "path")} only");
        }
    }
}
