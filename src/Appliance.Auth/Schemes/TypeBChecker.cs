using Appliance.Auth.Tokens;
using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// Type B, path form: <c>/{YYYYMMDDHHMM}/{md5hash}{path}</c>, the time in UTC+8, with
/// <c>md5hash = md5(key + time + path)</c>; valid while time + ttl >= now. The result marks the
/// "/{time}/{hash}" prefix so the caller serves the real path.
/// </summary>
public sealed class TypeBChecker : SyncTokenChecker
{
    // "/" + 12 digits + "/" + 32 hex, then the real path from its own leading "/".
    private const int TimeDigits = 12;
    private const int PrefixLength = 1 + TimeDigits + 1 + Md5Signature.Bytes * 2;
    private const long Utc8OffsetSeconds = 8 * 3600;

    private static readonly AuthResult Missing = AuthResult.Refuse(AuthRefusal.MissingToken, "path has no /{time}/{hash} prefix");
    private static readonly AuthResult BadDate = AuthResult.Refuse(AuthRefusal.Malformed, "time is not a valid YYYYMMDDHHMM");

    private readonly Md5Keys _keys;
    private readonly long _ttlSeconds;
    private readonly TimeProvider _time;

    public TypeBChecker(string key, string? backupKey, int ttlSeconds, TimeProvider time)
    {
        _keys = new Md5Keys(key, backupKey);
        _ttlSeconds = ttlSeconds;
        _time = time;
    }

    public override AuthResult Check(in AuthRequest request)
    {
        var path = request.Path.AsSpan();
        if (path.Length > Refusals.MaxPathChars)
        {
            return Refusals.PathTooLong;
        }
        if (path.Length <= PrefixLength || path[0] != '/' || path[1 + TimeDigits] != '/' || path[PrefixLength] != '/')
        {
            return Missing;
        }
        var time = path.Slice(1, TimeDigits);
        Span<byte> expected = stackalloc byte[Md5Signature.Bytes];
        if (!TokenText.TryParseDigest(path.Slice(2 + TimeDigits, Md5Signature.Bytes * 2), expected))
        {
            return Refusals.BadDigest;
        }
        if (!TryParseUtc8(time, out long signedAt))
        {
            return BadDate;
        }
        if (signedAt < _time.GetUtcNow().ToUnixTimeSeconds() - _ttlSeconds)
        {
            return Refusals.Expired;
        }
        var realPath = path[PrefixLength..];
        if (Md5Signature.Matches(expected, _keys.Primary, time, realPath)
            || _keys.Backup is { } backup && Md5Signature.Matches(expected, backup, time, realPath))
        {
            return AuthResult.AllowPath(0, PrefixLength);
        }
        return Refusals.BadSignature;
    }

    /// <summary>YYYYMMDDHHMM read as UTC+8 wall time, to Unix seconds; false for any impossible date.</summary>
    internal static bool TryParseUtc8(ReadOnlySpan<char> text, out long unixSeconds)
    {
        unixSeconds = 0;
        if (!TokenText.TryParseDecimal(text, out _))
        {
            return false;
        }
        int year = Number(text[..4]);
        int month = Number(text[4..6]);
        int day = Number(text[6..8]);
        int hour = Number(text[8..10]);
        int minute = Number(text[10..12]);
        if (year < 1970 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59)
        {
            return false;
        }
        var wallClock = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero);
        unixSeconds = wallClock.ToUnixTimeSeconds() - Utc8OffsetSeconds;
        return true;
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        int value = 0;
        foreach (char c in digits)
        {
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
