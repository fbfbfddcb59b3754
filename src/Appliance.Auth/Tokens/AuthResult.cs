namespace Appliance.Auth.Tokens;

/// <summary>
/// The outcome of a check. default(AuthResult) is a refusal, so a forgotten assignment fails closed.
/// Path-form tokens (Type B, Type C, an hmac path element) also say which part of the request path
/// was the token, so the caller can find the real path without the checker allocating it.
/// </summary>
public readonly struct AuthResult
{
    private AuthResult(bool allowed, AuthRefusal reason, string detail, int stripStart, int stripLength)
    {
        Allowed = allowed;
        Reason = reason;
        _detail = detail;
        StripStart = stripStart;
        StripLength = stripLength;
    }

    private readonly string? _detail;

    public bool Allowed { get; }

    public AuthRefusal Reason { get; }

    /// <summary>Short fixed text for the log line; never built per request.</summary>
    public string Detail => _detail ?? "not checked";

    /// <summary>Where the token sits in <see cref="AuthRequest.Path"/>; 0 length when it was not in the path.</summary>
    public int StripStart { get; }

    public int StripLength { get; }

    public static AuthResult Allow { get; } = new(true, AuthRefusal.None, "allowed", 0, 0);

    public static AuthResult AllowPath(int stripStart, int stripLength) =>
        new(true, AuthRefusal.None, "allowed", stripStart, stripLength);

    public static AuthResult Refuse(AuthRefusal reason, string detail) => new(false, reason, detail, 0, 0);

    /// <summary>The request path with the token removed ("/{time}/{hash}/a/b.flv" gives "/a/b.flv").</summary>
    public string RealPath(string path)
    {
        if (StripLength == 0 || StripStart < 0 || StripStart + StripLength > path.Length)
        {
            return path;
        }
        var real = string.Concat(path.AsSpan(0, StripStart), path.AsSpan(StripStart + StripLength));
        return real.Length == 0 ? "/" : real;
    }

    public override string ToString() =>
        Allowed ? "allowed" : $"refused ({Reason}): {Detail}";
}
