using Appliance.Auth.Tokens;
using Appliance.Auth.Callback;
using Appliance.Auth.Schemes;
using Appliance.Auth.Config;

namespace Appliance.Auth;

/// <summary>Builds the checker an <see cref="AuthRule"/> names. The rule must have passed validation.</summary>
public static class TokenCheckers
{
    public static ITokenChecker Create(AuthRule rule, TimeProvider time, HttpClient? callbackClient = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(time);
        return rule.Scheme switch
        {
            AuthSchemes.None => NoTokenChecker.Instance,
            AuthSchemes.TypeA => new TypeAChecker(rule.Key!, rule.BackupKey, rule.TtlSeconds, time),
            AuthSchemes.TypeB => new TypeBChecker(rule.Key!, rule.BackupKey, rule.TtlSeconds, time),
            AuthSchemes.TypeC => new TypeCChecker(rule.Key!, rule.BackupKey, rule.TtlSeconds, rule.SignName, rule.TimeName, time),
            AuthSchemes.StreamSecret => new StreamSecretChecker(rule.Key!, rule.BackupKey, rule.GraceSeconds, rule.TxSecretName, rule.TxTimeName, time),
            AuthSchemes.Hmac => new HmacChecker(rule.Key!, rule.BackupKey, rule.GraceSeconds, rule.TokenName, time),
            AuthSchemes.Callback => new CallbackChecker(
                new Uri(rule.CallbackUrl!, UriKind.Absolute), rule.CallbackTimeoutMs, rule.CallbackCacheSeconds, time, callbackClient),
            _ => throw new ArgumentException($"unknown auth scheme '{rule.Scheme}'", nameof(rule)),
        };
    }
}
