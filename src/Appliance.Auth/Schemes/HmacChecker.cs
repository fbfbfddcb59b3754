using Appliance.Auth.Tokens;
using Appliance.Auth.Access;
using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// EdgeAuth-style token: <c>hmac = hex(HMAC-SHA256(hexDecode(key), fields))</c>, carried in the query
/// parameter <c>{name}</c> or as a path element <c>/{name}={token}</c> at any depth (so relative segment
/// URLs inherit it; see <see cref="TokenPathElement"/> for where it ends; the result marks the element
/// so the caller serves the real path). With an acl the
/// path must match it; without one the token is in URL mode and the signed text holds
/// <c>~url={path}</c> right after exp. Valid while st &lt;= now &lt; exp, widened by the grace.
/// </summary>
public sealed class HmacChecker : SyncTokenChecker
{
    // Room for several ACLs and an id/data payload; longer is refused unread.
    private const int MaxTokenChars = 1024;

    private static readonly AuthResult NonAscii = AuthResult.Refuse(AuthRefusal.Malformed, "token is not ASCII");
    private static readonly AuthResult BadHmac = AuthResult.Refuse(AuthRefusal.Malformed, "hmac is not 64 hex digits");
    private static readonly AuthResult WrongIp = AuthResult.Refuse(AuthRefusal.WrongIp, "token is bound to another client address");
    private static readonly AuthResult AclMismatch = AuthResult.Refuse(AuthRefusal.AclMismatch, "path is outside the token's acl");

    private readonly byte[] _key;
    private readonly byte[]? _backupKey;
    private readonly long _graceSeconds;
    private readonly TimeProvider _time;
    private readonly string _tokenName;
    private readonly AuthResult _missing;
    private readonly AuthResult _unterminated;

    /// <param name="hexKey">The key as hex, as EdgeAuth distributes it; it is decoded once here.</param>
    public HmacChecker(string hexKey, string? hexBackupKey, int graceSeconds, string tokenName, TimeProvider time)
    {
        _key = Convert.FromHexString(hexKey);
        _backupKey = string.IsNullOrEmpty(hexBackupKey) ? null : Convert.FromHexString(hexBackupKey);
        _graceSeconds = graceSeconds;
        _tokenName = tokenName;
        _time = time;
        _missing = AuthResult.Refuse(AuthRefusal.MissingToken, $"no {tokenName} parameter or path element");
        _unterminated = AuthResult.Refuse(AuthRefusal.Malformed,
            $"the {tokenName}= path element must end with ~hmac= and 64 hex digits, then / or the end of the path");
    }

    public override AuthResult Check(in AuthRequest request)
    {
        var path = request.Path.AsSpan();
        if (path.Length > Refusals.MaxPathChars)
        {
            return Refusals.PathTooLong;
        }
        int stripStart = 0;
        int stripLength = 0;
        if (!QueryParameter.TryGet(request.Query, _tokenName, out var raw))
        {
            switch (TokenPathElement.Find(path, _tokenName, out stripStart, out stripLength, out int valueStart))
            {
                case TokenPathElement.Outcome.Absent:
                    return _missing;
                case TokenPathElement.Outcome.Unterminated:
                    return _unterminated;
            }
            raw = path[valueStart..(stripStart + stripLength)];
        }
        if (raw.Length > MaxTokenChars)
        {
            return Refusals.TokenTooLong;
        }

        Span<byte> buffer = stackalloc byte[MaxTokenChars];
        if (!PercentDecoder.TryDecode(raw, buffer, out int length))
        {
            return NonAscii;
        }
        if (HmacToken.TryParse(buffer[..length], out var token) is { } problem)
        {
            return AuthResult.Refuse(AuthRefusal.Malformed, problem);
        }
        Span<byte> expected = stackalloc byte[HmacSignature.Bytes];
        if (!TokenText.TryParseDigest(token.Hmac, expected))
        {
            return BadHmac;
        }
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (token.HasStart && now + _graceSeconds < token.Start)
        {
            return Refusals.NotYetValid;
        }
        if (now - _graceSeconds >= token.Expiry)
        {
            return Refusals.Expired;
        }

        Span<char> realBuffer = stripLength == 0 ? default : stackalloc char[Refusals.MaxPathChars];
        var realPath = RealPath(path, stripStart, stripLength, realBuffer);
        if (!IsSigned(token, expected, _key, realPath) && (_backupKey is null || !IsSigned(token, expected, _backupKey, realPath)))
        {
            return Refusals.BadSignature;
        }
        if (token.HasIp && !IpBytes.TextEquals(token.Ip, request.ClientIp))
        {
            return WrongIp;
        }
        if (token.HasAcl && !AclPattern.MatchesAny(token.Acl, realPath))
        {
            return AclMismatch;
        }
        return stripLength == 0 ? AuthResult.Allow : AuthResult.AllowPath(stripStart, stripLength);
    }

    private static bool IsSigned(scoped in HmacToken token, ReadOnlySpan<byte> expected, byte[] key, ReadOnlySpan<char> realPath)
    {
        if (token.HasAcl)
        {
            return HmacSignature.Matches(key, expected, token.Signed);
        }
        return HmacSignature.Matches(
            key, expected, token.Signed[..token.UrlInsertAt], "~url="u8, realPath, token.Signed[token.UrlInsertAt..]);
    }

    private static ReadOnlySpan<char> RealPath(ReadOnlySpan<char> path, int stripStart, int stripLength, Span<char> buffer)
    {
        if (stripLength == 0)
        {
            return path;
        }
        path[..stripStart].CopyTo(buffer);
        path[(stripStart + stripLength)..].CopyTo(buffer[stripStart..]);
        int length = path.Length - stripLength;
        return length == 0 ? "/" : buffer[..length];
    }
}
