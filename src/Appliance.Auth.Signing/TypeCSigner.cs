using System.Globalization;

namespace Appliance.Auth.Signing;

/// <summary>
/// Type C: <c>md5(key + path + hexTime)</c>, good until hexTime + ttl; in the query
/// (<c>?{signName}={md5}&amp;{timeName}={hexTime}</c>, the default) or as the path prefix <c>/{md5}/{hexTime}{path}</c>.
/// </summary>
internal static class TypeCSigner
{
    public static string Sign(SignRequest request, TargetUrl target)
    {
        var hexTime = UrlSigner.SignedAt(request).ToString("X", CultureInfo.InvariantCulture);
        var hash = Digests.Md5Hex(request.Key + target.Path + hexTime);
        if (request.Form == TokenForm.Path)
        {
            if (target.IsRtmp)
            {
                throw new SigningException("RTMP has no path for typeC's prefix: use the query form");
            }
            return target.With($"/{hash}/{hexTime}{target.Path}");
        }
        target.CheckFree(request.SignName);
        target.CheckFree(request.TimeName);
        return target.With(target.Path, $"{request.SignName}={hash}&{request.TimeName}={hexTime}");
    }
}
