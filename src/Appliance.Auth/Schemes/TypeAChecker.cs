using Appliance.Auth.Tokens;
using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// Type A: <c>?auth_key={timestamp}-{rand}-{uid}-{md5hash}</c> with
/// <c>md5hash = md5("{path}-{timestamp}-{rand}-{uid}-{key}")</c>, valid while timestamp + ttl >= now.
/// </summary>
public sealed class TypeAChecker : SyncTokenChecker
{
    public const string ParameterName = "auth_key";

    private static readonly AuthResult Missing = AuthResult.Refuse(AuthRefusal.MissingToken, "no auth_key parameter");
    private static readonly AuthResult Shape = AuthResult.Refuse(AuthRefusal.Malformed, "auth_key is not timestamp-rand-uid-hash");

    private readonly Md5Keys _keys;
    private readonly long _ttlSeconds;
    private readonly TimeProvider _time;

    public TypeAChecker(string key, string? backupKey, int ttlSeconds, TimeProvider time)
    {
        _keys = new Md5Keys(key, backupKey);
        _ttlSeconds = ttlSeconds;
        _time = time;
    }

    public override AuthResult Check(in AuthRequest request)
    {
        if (!QueryParameter.TryGet(request.Query, ParameterName, out var token))
        {
            return Missing;
        }
        if (token.Length > Refusals.MaxTokenChars)
        {
            return Refusals.TokenTooLong;
        }
        var path = request.Path.AsSpan();
        if (path.Length > Refusals.MaxPathChars)
        {
            return Refusals.PathTooLong;
        }

        // rand has no '-', uid may (it is the last free-form field), the hash never does.
        int firstDash = token.IndexOf('-');
        int lastDash = token.LastIndexOf('-');
        int secondDash = firstDash < 0 ? -1 : token[(firstDash + 1)..].IndexOf('-') + firstDash + 1;
        if (firstDash <= 0 || secondDash <= firstDash + 1 || lastDash <= secondDash + 1)
        {
            return Shape;
        }
        Span<byte> expected = stackalloc byte[Md5Signature.Bytes];
        if (!TokenText.TryParseDigest(token[(lastDash + 1)..], expected))
        {
            return Refusals.BadDigest;
        }
        if (!TokenText.TryParseDecimal(token[..firstDash], out long timestamp))
        {
            return Refusals.BadTime;
        }
        if (timestamp < _time.GetUtcNow().ToUnixTimeSeconds() - _ttlSeconds)
        {
            return Refusals.Expired;
        }

        // "{path}-{timestamp}-{rand}-{uid}-{key}": the token minus its hash is the middle, as sent.
        var signed = token[..lastDash];
        if (Md5Signature.Matches(expected, path, "-", signed, "-", _keys.Primary)
            || _keys.Backup is { } backup && Md5Signature.Matches(expected, path, "-", signed, "-", backup))
        {
            return AuthResult.Allow;
        }
        return Refusals.BadSignature;
    }
}
