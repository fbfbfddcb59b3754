using Appliance.Auth.Tokens;

namespace Appliance.Auth.Schemes;

/// <summary>The refusals the schemes share, made once so a refusal costs no allocation either.</summary>
internal static class Refusals
{
    public static readonly AuthResult Expired = AuthResult.Refuse(AuthRefusal.Expired, "token expired");
    public static readonly AuthResult NotYetValid = AuthResult.Refuse(AuthRefusal.NotYetValid, "token not valid yet");
    public static readonly AuthResult BadSignature = AuthResult.Refuse(AuthRefusal.BadSignature, "signature does not match");
    public static readonly AuthResult PathTooLong = AuthResult.Refuse(AuthRefusal.Malformed, "path too long to check");
    public static readonly AuthResult TokenTooLong = AuthResult.Refuse(AuthRefusal.Malformed, "token too long");
    public static readonly AuthResult BadDigest = AuthResult.Refuse(AuthRefusal.Malformed, "hash is not 32 hex digits");
    public static readonly AuthResult BadTime = AuthResult.Refuse(AuthRefusal.Malformed, "time is not a number");

    /// <summary>Longest request path a scheme hashes; longer paths are refused before any work.</summary>
    public const int MaxPathChars = 2048;

    /// <summary>Longest token field a scheme reads.</summary>
    public const int MaxTokenChars = 256;
}
