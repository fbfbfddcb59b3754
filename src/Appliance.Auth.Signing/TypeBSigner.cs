using System.Globalization;

namespace Appliance.Auth.Signing;

/// <summary>Type B, path form only: <c>/{YYYYMMDDHHMM in UTC+8}/{md5(key + time + path)}{path}</c>, good until time + ttl.</summary>
internal static class TypeBSigner
{
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    public static string Sign(SignRequest request, TargetUrl target)
    {
        UrlSigner.RequireForm(request, TokenForm.Path, SchemeNames.TypeB);
        if (target.IsRtmp)
        {
            throw new SigningException("typeB carries its token in the path, which RTMP has no place for");
        }
        // Whole minutes: the URL ends up to a minute before the expiry asked for, never after.
        var time = DateTimeOffset.FromUnixTimeSeconds(UrlSigner.SignedAt(request)).ToOffset(ChinaTime)
            .ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        var hash = Digests.Md5Hex(request.Key + time + target.Path);
        return target.With($"/{time}/{hash}{target.Path}");
    }
}
