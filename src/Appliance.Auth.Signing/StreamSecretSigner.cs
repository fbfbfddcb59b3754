using System.Globalization;

namespace Appliance.Auth.Signing;

/// <summary>
/// Stream secret: <c>?{txSecretName}={md5(key + streamName + txTime)}&amp;{txTimeName}={txTime}</c>, txTime
/// being the expiry itself; the stream name alone is signed, so the URL's protocol does not matter.
/// </summary>
internal static class StreamSecretSigner
{
    public static string Sign(SignRequest request, TargetUrl target)
    {
        UrlSigner.RequireForm(request, TokenForm.Query, SchemeNames.StreamSecret);
        // The node reads up to 8 digits as hex and more as decimal: hex until 2106, decimal after.
        var txTime = request.Expires <= uint.MaxValue
            ? request.Expires.ToString("X8", CultureInfo.InvariantCulture)
            : request.Expires.ToString(CultureInfo.InvariantCulture);
        target.CheckFree(request.TxSecretName);
        target.CheckFree(request.TxTimeName);
        var hash = Digests.Md5Hex(request.Key + target.StreamName + txTime);
        return target.With(target.Path, $"{request.TxSecretName}={hash}&{request.TxTimeName}={txTime}");
    }
}
