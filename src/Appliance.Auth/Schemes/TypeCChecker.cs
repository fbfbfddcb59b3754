using Appliance.Auth.Tokens;
using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// Type C: <c>md5hash = md5(key + path + hexTime)</c>, hexTime being Unix seconds in hex, valid while
/// hexTime + ttl >= now. Query form <c>?{sign}={md5hash}&amp;{t}={hexTime}</c> when the sign parameter
/// is present, else path form <c>/{md5hash}/{hexTime}{path}</c>, whose prefix the result marks.
/// </summary>
public sealed class TypeCChecker : SyncTokenChecker
{
    // "/" + 32 hex + "/", then the hex time up to the real path's "/".
    private const int HashEnd = 1 + Md5Signature.Bytes * 2;

    private static readonly AuthResult Missing = AuthResult.Refuse(AuthRefusal.MissingToken, "no sign parameter and no /{hash}/{time} prefix");
    private static readonly AuthResult NoTime = AuthResult.Refuse(AuthRefusal.Malformed, "sign parameter without its time parameter");

    private readonly Md5Keys _keys;
    private readonly long _ttlSeconds;
    private readonly TimeProvider _time;
    private readonly string _signName;
    private readonly string _timeName;

    public TypeCChecker(string key, string? backupKey, int ttlSeconds, string signName, string timeName, TimeProvider time)
    {
        _keys = new Md5Keys(key, backupKey);
        _ttlSeconds = ttlSeconds;
        _signName = signName;
        _timeName = timeName;
        _time = time;
    }

    public override AuthResult Check(in AuthRequest request)
    {
        var path = request.Path.AsSpan();
        if (path.Length > Refusals.MaxPathChars)
        {
            return Refusals.PathTooLong;
        }
        if (QueryParameter.TryGet(request.Query, _signName, out var sign))
        {
            if (!QueryParameter.TryGet(request.Query, _timeName, out var hexTime))
            {
                return NoTime;
            }
            return Verify(sign, hexTime, path, 0, 0);
        }
        if (path.Length > HashEnd + 2 && path[0] == '/' && path[HashEnd] == '/')
        {
            int timeEnd = path[(HashEnd + 1)..].IndexOf('/');
            if (timeEnd > 0)
            {
                int prefix = HashEnd + 1 + timeEnd;
                return Verify(path[1..HashEnd], path[(HashEnd + 1)..prefix], path[prefix..], 0, prefix);
            }
        }
        return Missing;
    }

    private AuthResult Verify(ReadOnlySpan<char> sign, ReadOnlySpan<char> hexTime, ReadOnlySpan<char> path, int stripStart, int stripLength)
    {
        Span<byte> expected = stackalloc byte[Md5Signature.Bytes];
        if (!TokenText.TryParseDigest(sign, expected))
        {
            return Refusals.BadDigest;
        }
        if (!TokenText.TryParseHex(hexTime, out long signedAt))
        {
            return Refusals.BadTime;
        }
        if (signedAt < _time.GetUtcNow().ToUnixTimeSeconds() - _ttlSeconds)
        {
            return Refusals.Expired;
        }
        if (Md5Signature.Matches(expected, _keys.Primary, path, hexTime)
            || _keys.Backup is { } backup && Md5Signature.Matches(expected, backup, path, hexTime))
        {
            return stripLength == 0 ? AuthResult.Allow : AuthResult.AllowPath(stripStart, stripLength);
        }
        return Refusals.BadSignature;
    }
}
