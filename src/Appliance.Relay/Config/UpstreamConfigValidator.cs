using Appliance.Relay.Urls;
using Appliance.Transport.Tls;

namespace Appliance.Relay.Config;

/// <summary>Checks an app's "upstreams" list so that building its route candidates cannot fail.</summary>
public static class UpstreamConfigValidator
{
    public const int MaxUpstreams = 64;
    public const int MaxWeight = 10_000;
    public const int MaxPriority = 100;
    public const int MaxNameChars = 100;

    /// <param name="at">The key path of the list without "$.", e.g. "domains[0].apps[0].upstreams".</param>
    public static void Validate(IReadOnlyList<UpstreamConfig?>? upstreams, string at, Action<bool, string, string> check)
    {
        if (upstreams is null)
        {
            check(false, at, "must be an array");
            return;
        }
        check(upstreams.Count <= MaxUpstreams, at, $"lists more than {MaxUpstreams} upstreams");
        var urls = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < upstreams.Count; i++)
        {
            var upstream = upstreams[i];
            var path = $"{at}[{i}]";
            if (upstream is null)
            {
                check(false, path, "must be an object");
                continue;
            }
            bool parsed = UpstreamUrl.TryParse(upstream.Url, out var url, out var error);
            check(parsed, $"{path}.url", error);
            if (url is not null)
            {
                check(urls.Add(url.ToString()), $"{path}.url", $"'{url}' is listed twice in this app");
            }
            check(upstream.Weight is >= 0 and <= MaxWeight, $"{path}.weight", $"must be between 0 and {MaxWeight}");
            check(upstream.Priority is >= 0 and <= MaxPriority, $"{path}.priority", $"must be between 0 and {MaxPriority}");
            check(upstream.HealthUrl is null || url?.Protocol != UpstreamProtocol.Srt, $"{path}.healthUrl", "is not used for srt:// URLs: they are probed over SRT");
            if (upstream.HealthUrl is not null)
            {
                check(HealthUrl.TryParse(upstream.HealthUrl, out _, out var healthError), $"{path}.healthUrl", healthError);
            }
            ValidateTls(upstream.CaFile, upstream.PinSha256, url, path, check);
            check(upstream.Name is null || (upstream.Name.Length is > 0 and <= MaxNameChars && !upstream.Name.AsSpan().ContainsAnyInRange('\0', '\x1f')),
                $"{path}.name", $"must be 1 to {MaxNameChars} characters without control characters");
        }
    }

    /// <summary>The CA file and pin of an upstream candidate or push target at <paramref name="path"/> (null when absent).</summary>
    public static void ValidateTls(string? caFile, string? pinSha256, UpstreamUrl? url, string path, Action<bool, string, string> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (caFile is not null)
        {
            check(url is null || url.IsTls, $"{path}.caFile", "is only for https:// and rtmps:// URLs");
            check(TryLoadCaFile(caFile, out var problem), $"{path}.caFile", problem);
        }
        if (pinSha256 is not null)
        {
            check(url is null || url.IsTls, $"{path}.pinSha256", "is only for https:// and rtmps:// URLs");
            check(TlsClientTrust.ParsePin(pinSha256) is not null, $"{path}.pinSha256",
                "must be the base64 of a SHA-256 (44 characters, optionally after sha256//) of the certificate's public key");
        }
    }

    /// <summary>Whether <paramref name="path"/> is an absolute path of a readable PEM file of CA certificates.</summary>
    public static bool TryLoadCaFile(string path, out string problem)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            problem = "must be the absolute path of a PEM file of CA certificates";
            return false;
        }
        try
        {
            TlsCaFile.Load(path);
        }
        catch (TlsCertificateException ex)
        {
            problem = ex.Message;
            return false;
        }
        problem = "";
        return true;
    }
}
