using Appliance.Auth.Access;

namespace Appliance.Auth.Config;

/// <summary>Checks an app's "auth" section so that building its <see cref="Auth.AccessPolicy"/> cannot fail.</summary>
public static class AuthConfigValidator
{
    // Longer keys add nothing to MD5 or HMAC strength, and the hashed input is bounded.
    private const int MaxKeyChars = 256;
    private const int MaxTtlSeconds = 366 * 24 * 3600;
    private const int MaxGraceSeconds = 3600;

    /// <param name="at">The key path of the section without "$.", e.g. "domains[0].apps[0].auth".</param>
    public static void Validate(AuthConfig? auth, string at, Action<bool, string, string> check)
    {
        if (auth is null)
        {
            check(false, at, "must be an object");
            return;
        }
        ValidateRule(auth.Publish, $"{at}.publish", check);
        ValidateRule(auth.Play, $"{at}.play", check);
        ValidateReferer(auth.Referer, $"{at}.referer", check);
        ValidateIp(auth.Ip, $"{at}.ip", check);
        ValidateCidrs(auth.TrustedProxies, $"{at}.trustedProxies", check);
    }

    private static void ValidateRule(AuthRule? rule, string at, Action<bool, string, string> check)
    {
        if (rule is null)
        {
            check(false, at, "must be an object");
            return;
        }
        if (!AuthSchemes.IsKnown(rule.Scheme))
        {
            check(false, $"{at}.scheme", "must be one of none, typeA, typeB, typeC, streamSecret, hmac, callback");
            return;
        }
        if (AuthSchemes.UsesTextKey(rule.Scheme))
        {
            check(!string.IsNullOrEmpty(rule.Key), $"{at}.key", $"is required by scheme '{rule.Scheme}'");
            check(rule.Key is null || rule.Key.Length <= MaxKeyChars, $"{at}.key", $"must be at most {MaxKeyChars} characters");
            check(rule.BackupKey is null || rule.BackupKey.Length is > 0 and <= MaxKeyChars, $"{at}.backupKey", $"must be 1 to {MaxKeyChars} characters when set");
        }
        if (rule.Scheme == AuthSchemes.Hmac)
        {
            check(IsHexKey(rule.Key), $"{at}.key", "must be a non-empty, even-length hex string (EdgeAuth keys are hex)");
            check(rule.BackupKey is null || IsHexKey(rule.BackupKey), $"{at}.backupKey", "must be an even-length hex string when set");
        }
        check(rule.TtlSeconds is >= 1 and <= MaxTtlSeconds, $"{at}.ttlSeconds", $"must be between 1 and {MaxTtlSeconds}");
        check(rule.GraceSeconds is >= 0 and <= MaxGraceSeconds, $"{at}.graceSeconds", $"must be between 0 and {MaxGraceSeconds}");
        check(IsParameterName(rule.SignName), $"{at}.signName", "must be a plain query parameter name");
        check(IsParameterName(rule.TimeName), $"{at}.timeName", "must be a plain query parameter name");
        check(rule.SignName != rule.TimeName, $"{at}.timeName", "must differ from signName");
        check(IsParameterName(rule.TxSecretName), $"{at}.txSecretName", "must be a plain query parameter name");
        check(IsParameterName(rule.TxTimeName), $"{at}.txTimeName", "must be a plain query parameter name");
        check(rule.TxSecretName != rule.TxTimeName, $"{at}.txTimeName", "must differ from txSecretName");
        check(IsParameterName(rule.TokenName), $"{at}.tokenName", "must be a plain query parameter name");
        if (rule.Scheme == AuthSchemes.Callback)
        {
            check(IsCallbackUrl(rule.CallbackUrl), $"{at}.callbackUrl", "must be an absolute http or https URL");
        }
        check(rule.CallbackTimeoutMs is >= 10 and <= 60_000, $"{at}.callbackTimeoutMs", "must be between 10 and 60000");
        check(rule.CallbackCacheSeconds is >= 0 and <= 3600, $"{at}.callbackCacheSeconds", "must be between 0 and 3600");
        ValidateIp(rule.Ip, $"{at}.ip", check);
    }

    private static void ValidateReferer(RefererAccessConfig? referer, string at, Action<bool, string, string> check)
    {
        if (referer is null)
        {
            check(false, at, "must be an object");
            return;
        }
        check(referer.Allow is not null, $"{at}.allow", "must be an array of host patterns");
        check(referer.Deny is not null, $"{at}.deny", "must be an array of host patterns");
        check(referer.Allow is not { Count: > 0 } || referer.Deny is not { Count: > 0 }, at, "set either allow or deny, not both");
        ValidatePatterns(referer.Allow, $"{at}.allow", check);
        ValidatePatterns(referer.Deny, $"{at}.deny", check);
    }

    private static void ValidatePatterns(List<string>? patterns, string at, Action<bool, string, string> check)
    {
        for (int i = 0; i < (patterns?.Count ?? 0); i++)
        {
            var pattern = patterns![i];
            check(RefererRule.IsValidPattern(pattern), $"{at}[{i}]", $"'{pattern}' is not a host pattern like 'example.com' or '*.example.com'");
        }
    }

    private static void ValidateIp(IpAccessConfig? ip, string at, Action<bool, string, string> check)
    {
        if (ip is null)
        {
            check(false, at, "must be an object");
            return;
        }
        check(ip.Allow is not { Count: > 0 } || ip.Deny is not { Count: > 0 }, at, "set either allow or deny, not both");
        ValidateCidrs(ip.Allow, $"{at}.allow", check);
        ValidateCidrs(ip.Deny, $"{at}.deny", check);
    }

    private static void ValidateCidrs(List<string>? cidrs, string at, Action<bool, string, string> check)
    {
        if (cidrs is null)
        {
            check(false, at, "must be an array of CIDRs");
            return;
        }
        for (int i = 0; i < cidrs.Count; i++)
        {
            check(CidrSet.IsValid(cidrs[i]), $"{at}[{i}]", $"'{cidrs[i]}' is not an IPv4 or IPv6 address or CIDR");
        }
    }

    private static bool IsHexKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length % 2 == 0 && key.Length <= MaxKeyChars * 2 && !key.AsSpan().ContainsAnyExcept(HexDigits);

    private static ReadOnlySpan<char> HexDigits => "0123456789abcdefABCDEF";

    // Names are matched raw, and a path-element token is "/{name}=": nothing that a URL would escape or split on.
    private static bool IsParameterName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.AsSpan().IndexOfAnyExcept(NameCharacters) < 0;

    private static ReadOnlySpan<char> NameCharacters => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~";

    private static bool IsCallbackUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
