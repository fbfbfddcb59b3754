namespace Appliance.Auth.Tokens;

/// <summary>Why a request was refused; logged, never sent to the client.</summary>
public enum AuthRefusal : byte
{
    /// <summary>Not refused (or, in a default <see cref="AuthResult"/>, never checked, which is also a refusal).</summary>
    None,
    MissingToken,
    Malformed,
    Expired,
    NotYetValid,
    BadSignature,
    WrongIp,
    AclMismatch,
    Referer,
    IpDenied,
    CallbackDenied,
    CallbackTimeout,
    CallbackFailed,
}
