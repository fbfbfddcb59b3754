namespace Appliance.Node.Config;

/// <summary>
/// The shape of the TLS keys: listeners that parse, certificates for them, absolute paths, host
/// names. Whether the files are there and fit together is for <see cref="Tls.NodeCertificates"/>,
/// when the node starts or reloads.
/// </summary>
internal static class TlsConfigValidator
{
    public static void Validate(ApplianceConfig config, Action<bool, string, string> check)
    {
        check(config.Https is not null, "https", "must be an object");
        check(config.Rtmps is not null, "rtmps", "must be an object");
        check(config.Tls is not null, "tls", "must be an object");
        if (config.Https is null || config.Rtmps is null || config.Tls is null)
        {
            return;
        }
        var https = config.Https.Listen;
        var rtmps = config.Rtmps.Listen;
        check(https is "" || ConfigValidator.TryParseEndPoint(https, out _), "https.listen", $"'{https}' is not host:port (or empty for no HTTPS listener)");
        check(rtmps is "" || ConfigValidator.TryParseEndPoint(rtmps, out _), "rtmps.listen", $"'{rtmps}' is not host:port (or empty for no RTMPS listener)");
        var tls = config.Tls;
        if (tls.CaFile is null)
        {
            check(false, "tls.caFile", "must be a string: the absolute path of a PEM file of CA certificates, or empty for the system store");
        }
        else if (tls.CaFile.Length > 0)
        {
            check(Relay.Config.UpstreamConfigValidator.TryLoadCaFile(tls.CaFile, out var problem), "tls.caFile", problem);
        }
        var adminTls = config.Admin is { Tls: true, Listen.Length: > 0 };
        check(tls.Certificates is not null, "tls.certificates", "must be an array");
        var certificates = tls.Certificates ?? [];
        if (certificates.Count == 0 && (https is { Length: > 0 } || rtmps is { Length: > 0 } || adminTls))
        {
            var needs = https is { Length: > 0 } ? "https.listen is set" : rtmps is { Length: > 0 } ? "rtmps.listen is set" : "admin.tls is true";
            check(false, "tls.certificates", $"{needs}, so at least one certificate is needed");
        }
        for (var i = 0; i < certificates.Count; i++)
        {
            var at = $"tls.certificates[{i}]";
            var certificate = certificates[i];
            if (certificate is null)
            {
                check(false, at, "must be an object");
                continue;
            }
            check(IsAbsolute(certificate.Cert), $"{at}.cert", "must be the absolute path of a PEM certificate");
            check(IsAbsolute(certificate.Key), $"{at}.key", "must be the absolute path of a PEM private key");
            check(certificate.Names is not null, $"{at}.names", "must be an array of host names");
            for (var n = 0; n < (certificate.Names?.Count ?? 0); n++)
            {
                var name = certificate.Names![n];
                var host = name is not null && name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
                check(ConfigValidator.IsHostName(host) && host != "default", $"{at}.names[{n}]", "must be a host name, or *. and a host name");
            }
        }
    }

    private static bool IsAbsolute(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path);
}
