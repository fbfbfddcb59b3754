using Appliance.Auth.Tokens;
using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// Stream secret (txSecret style): <c>?txSecret={md5}&amp;txTime={time}</c> with
/// <c>md5 = md5(key + streamName + txTime)</c>, the stream name alone; valid while now &lt;= txTime + grace.
/// </summary>
public sealed class StreamSecretChecker : SyncTokenChecker
{
    // A hex Unix time has 8 digits until 2106 and a decimal one has 10 since 2001: up to 8 digits is
    // hex (as Tencent-style signers send), more is decimal. A 9-digit decimal would be 1973-2001, long expired.
    private const int MaxHexTimeDigits = 8;
    private const int MaxStreamChars = 1024;

    private static readonly AuthResult NoTime = AuthResult.Refuse(AuthRefusal.Malformed, "secret parameter without its time parameter");
    private static readonly AuthResult LongStream = AuthResult.Refuse(AuthRefusal.Malformed, "stream name too long to check");

    private readonly Md5Keys _keys;
    private readonly long _graceSeconds;
    private readonly TimeProvider _time;
    private readonly string _secretName;
    private readonly string _timeName;
    private readonly AuthResult _missing;

    public StreamSecretChecker(string key, string? backupKey, int graceSeconds, string secretName, string timeName, TimeProvider time)
    {
        _keys = new Md5Keys(key, backupKey);
        _graceSeconds = graceSeconds;
        _secretName = secretName;
        _timeName = timeName;
        _time = time;
        _missing = AuthResult.Refuse(AuthRefusal.MissingToken, $"no {secretName} parameter");
    }

    public override AuthResult Check(in AuthRequest request)
    {
        if (!QueryParameter.TryGet(request.Query, _secretName, out var secret))
        {
            return _missing;
        }
        if (!QueryParameter.TryGet(request.Query, _timeName, out var txTime))
        {
            return NoTime;
        }
        var stream = request.Stream.AsSpan();
        if (stream.Length > MaxStreamChars)
        {
            return LongStream;
        }
        Span<byte> expected = stackalloc byte[Md5Signature.Bytes];
        if (!TokenText.TryParseDigest(secret, expected))
        {
            return Refusals.BadDigest;
        }
        long expiry;
        bool parsed = txTime.Length <= MaxHexTimeDigits
            ? TokenText.TryParseHex(txTime, out expiry)
            : TokenText.TryParseDecimal(txTime, out expiry);
        if (!parsed)
        {
            return Refusals.BadTime;
        }
        if (_time.GetUtcNow().ToUnixTimeSeconds() - _graceSeconds > expiry)
        {
            return Refusals.Expired;
        }
        if (Md5Signature.Matches(expected, _keys.Primary, stream, txTime)
            || _keys.Backup is { } backup && Md5Signature.Matches(expected, backup, stream, txTime))
        {
            return AuthResult.Allow;
        }
        return Refusals.BadSignature;
    }
}
