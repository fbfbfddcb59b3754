using Appliance.Relay.Urls;
using Appliance.Relay.Config;
using System.Net;
using Appliance.Auth.Config;
using Appliance.Streaming.Settings;

namespace Appliance.Node.Config;

internal static class ConfigValidator
{
    /// <param name="where">Where a key path is in the file (" (line L, column C)"), or "" when unknown.</param>
    public static void Validate(ApplianceConfig config, string source, Func<string, string>? where = null)
    {
        var errors = new List<string>();
        void Check(bool ok, string path, string problem)
        {
            if (!ok)
            {
                errors.Add($"{source}: $.{path}: {problem}{where?.Invoke("$." + path)}");
            }
        }

        Check(config.Rtmp is not null, "rtmp", "must be an object");
        Check(config.Http is not null, "http", "must be an object");
        Check(config.Deadlines is not null, "deadlines", "must be an object");
        Check(config.Log is not null, "log", "must be an object");
        Check(config.Domains is not null, "domains", "must be an array");
        if (errors.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, errors));
        }

        var rtmp = config.Rtmp!;
        var http = config.Http!;
        var deadlines = config.Deadlines!;
        var log = config.Log!;
        Check(config.Cache is not null, "cache", "must be an object");
        Check(config.Security is not null, "security", "must be an object");
        Check(config.Limits is not null, "limits", "must be an object");
        if (config.Limits is not null)
        {
            Check(config.Limits.MaxConnections >= 0, "limits.maxConnections", "must not be negative");
            Check(config.Limits.MaxConnectionsPerIp >= 0, "limits.maxConnectionsPerIp", "must not be negative");
            Check(config.Limits.HttpRequestsPerSecondPerIp >= 0, "limits.httpRequestsPerSecondPerIp", "must not be negative");
            Check(config.Limits.MaxHlsSessions >= 0, "limits.maxHlsSessions", "must not be negative");
            Check(config.Limits.MaxHeldRequestsPerIp >= 0, "limits.maxHeldRequestsPerIp", "must not be negative");
        }
        Check(IsHexSecret(config.Security?.SessionSecret), "security.sessionSecret", "must be at least 32 hex digits (16 bytes)");
        var hlsKeySecret = config.Security?.HlsKeySecret;
        Check(IsHexSecret(hlsKeySecret), "security.hlsKeySecret", "must be at least 32 hex digits (16 bytes)");
        Check(config.Transport is not null, "transport", "must be an object");
        if (config.Transport is not null)
        {
            Check(config.Transport.Send is SendModes.Epoll or SendModes.IoUring or SendModes.Auto, "transport.send", $"'{config.Transport.Send}' is not one of epoll, io_uring, auto");
            Check(config.Transport.ZeroCopyMinBytes is 0 or (>= 4096 and <= 16 * 1024 * 1024), "transport.zeroCopyMinBytes", "must be 0 (off) or between 4096 and 16777216");
        }
        Check(config.Cache is null || config.Cache.MaxBytes is >= 1024 * 1024 and <= 1L << 40, "cache.maxBytes", "must be between 1 MiB and 1 TiB");
        var domains = config.Domains!;
        ValidateOperations(config, Check);
        Check(TryParseEndPoint(rtmp.Listen, out _), "rtmp.listen", $"'{rtmp.Listen}' is not host:port");
        Check(rtmp.ChunkSize is >= 128 and <= 65536, "rtmp.chunkSize", "must be between 128 and 65536");
        Check(rtmp.MaxMessageBytes is >= 65536 and <= 64 * 1024 * 1024, "rtmp.maxMessageBytes", "must be between 65536 and 67108864");
        Check(TryParseEndPoint(http.Listen, out _), "http.listen", $"'{http.Listen}' is not host:port");
        Check(http.MaxRequestLineBytes is >= 256 and <= 65536, "http.maxRequestLineBytes", "must be between 256 and 65536");
        Check(http.MaxHeaderBytes is >= 1024 and <= 1048576, "http.maxHeaderBytes", "must be between 1024 and 1048576");
        Check(http.MaxHeaderCount is >= 8 and <= 1000, "http.maxHeaderCount", "must be between 8 and 1000");
        Check(http.PlayerDir is not null && (http.PlayerDir == "" || Path.IsPathFullyQualified(http.PlayerDir)), "http.playerDir", "must be an absolute path, or empty for the one beside the binary");
        ListenerOverlap.Validate(config, Check);
        TlsConfigValidator.Validate(config, Check);
        SrtConfigValidator.Validate(config.Srt, Check);
        Check(deadlines.HandshakeMs is >= 100 and <= 600_000, "deadlines.handshakeMs", "must be between 100 and 600000");
        Check(deadlines.RequestHeaderMs is >= 100 and <= 600_000, "deadlines.requestHeaderMs", "must be between 100 and 600000");
        Check(deadlines.IdleMs is >= 100 and <= 3_600_000, "deadlines.idleMs", "must be between 100 and 3600000");
        Check(deadlines.SendStallMs is >= 100 and <= 600_000, "deadlines.sendStallMs", "must be between 100 and 600000");
        Check(log.Level is "trace" or "debug" or "info" or "warn" or "error", "log.level", "must be one of trace, debug, info, warn, error");
        Check(domains.Count > 0, "domains", "needs at least one domain");

        string? firstLadder = null;
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var d = 0; d < domains.Count; d++)
        {
            var domain = domains[d];
            var at = $"domains[{d}]";
            if (domain is null)
            {
                Check(false, at, "must be an object");
                continue;
            }
            Check(IsHostName(domain.Name), $"{at}.name", "must be a host name (no port, scheme, path or spaces)");
            Check(hosts.Add(domain.Name ?? ""), $"{at}.name", $"'{domain.Name}' is used by another domain");
            Check(domain.Aliases is not null, $"{at}.aliases", "must be an array of host names");
            for (var a = 0; a < (domain.Aliases?.Count ?? 0); a++)
            {
                var alias = domain.Aliases![a];
                Check(IsHostName(alias), $"{at}.aliases[{a}]", "must be a host name (no port, scheme, path or spaces)");
                Check(alias is null || hosts.Add(alias), $"{at}.aliases[{a}]", $"'{alias}' is used by another domain");
            }
            Check(domain.Apps is { Count: > 0 }, $"{at}.apps", "needs at least one app");
            var apps = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (domain.Apps?.Count ?? 0); i++)
            {
                ValidateApp(domain.Apps![i], $"{at}.apps[{i}]", apps, Check);
                Check(domain.Apps[i]?.Hls?.Encryption is not { Enabled: true } || hlsKeySecret is not null, $"{at}.apps[{i}].hls.encryption.enabled",
                    "needs security.hlsKeySecret (the keys are derived from it)");
                if (domain.Apps[i]?.Ladder?.Rungs is { Count: > 0 })
                {
                    firstLadder ??= $"$.{at}.apps[{i}].ladder";
                }
            }
        }
        LadderConfigValidator.ValidateTranscode(config.Transcode, firstLadder, Check);
        if (errors.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, errors));
        }
    }

    private static void ValidateApp(AppConfig? app, string at, HashSet<string> names, Action<bool, string, string> check)
    {
        if (app is null)
        {
            check(false, at, "must be an object");
            return;
        }
        check(IsPathSegment(app.Name), $"{at}.name", "must be a non-empty name without '/', '?', '.' or spaces");
        check(names.Add(app.Name ?? ""), $"{at}.name", $"'{app.Name}' is defined twice in this domain");
        check(app.OnPublisherConflict is "refuse" or "takeover", $"{at}.onPublisherConflict", "must be 'refuse' or 'takeover'");
        check(app.PublisherGraceMs is >= 0 and <= 600_000, $"{at}.publisherGraceMs", "must be between 0 and 600000");
        check(app.MaxViewersPerStream >= 0, $"{at}.maxViewersPerStream", "must not be negative");
        check(app.MaxPublishers >= 0, $"{at}.maxPublishers", "must not be negative");
        check(JoinModes.IsKnown(app.JoinMode), $"{at}.joinMode", "must be 'live', 'keyframe' or 'buffer'");
        check(app.JoinBufferMs is >= 0 and <= 10_000, $"{at}.joinBufferMs", "must be between 0 and 10000");
        check(app.JoinBurstMs is >= 0 and <= JoinModes.MaxBurstMs, $"{at}.joinBurstMs", $"must be between 0 and {JoinModes.MaxBurstMs}");
        check(app.BrowserJoinBurstMs is >= 0 and <= JoinModes.MaxBurstMs, $"{at}.browserJoinBurstMs", $"must be between 0 and {JoinModes.MaxBurstMs}");
        check(app.FlushIntervalMs is -1 or (>= 0 and <= 1000), $"{at}.flushIntervalMs", "must be -1 (adaptive) or between 0 and 1000");
        check(app.MaxViewerLagMs is >= 500 and <= 120_000, $"{at}.maxViewerLagMs", "must be between 500 and 120000");
        check(app.MaxViewerSkipsPerMinute is >= 1 and <= 1000, $"{at}.maxViewerSkipsPerMinute", "must be between 1 and 1000");
        check(app.MaxViewerUnsentBytes is 0 or (>= 4_096 and <= 16_777_216), $"{at}.maxViewerUnsentBytes", "must be 0 (the kernel's own send buffer) or between 4096 and 16777216");
        check(app.MaxStreamNameLength is >= 1 and <= 1024, $"{at}.maxStreamNameLength", "must be between 1 and 1024");
        AuthConfigValidator.Validate(app.Auth, $"{at}.auth", check);
        WebhookConfigValidator.Validate(app.Webhooks, $"{at}.webhooks", check);
        RenditionsConfigValidator.Validate(app.Renditions, app.MaxStreamNameLength, $"{at}.renditions", check);
        LadderConfigValidator.Validate(app.Ladder, $"{at}.ladder", check);
        check(app.Ladder?.Rungs is not { Count: > 0 } || app.Renditions?.Groups is not { Count: > 0 }, $"{at}.renditions.groups",
            "cannot be used with a ladder: a ladder groups each source with its rungs by label ({stream}_{label}); list further labels in renditions.labels");
        SrtConfigValidator.Validate(app.Srt, $"{at}.srt", check);
        Relay.Config.UpstreamConfigValidator.Validate(app.Upstreams, $"{at}.upstreams", check);
        check(app.Pull is not null, $"{at}.pull", "must be an object");
        if (app.Pull is { } pull)
        {
            check(pull.Mode is "on-demand" or "always" or "off", $"{at}.pull.mode", "must be on-demand, always or off");
            check(pull.Mode != "always" || pull.Streams is { Count: > 0 }, $"{at}.pull.streams", "lists the streams to keep pulled when mode is always");
            check(pull.Streams is not null && pull.Streams.All(n => IsPathSegment(n) || n is { Length: > 0 } && n.AsSpan().IndexOfAny("/?# \t%\\") < 0), $"{at}.pull.streams", "must be stream names");
            check(pull.WaitMs is >= 100 and <= 120_000, $"{at}.pull.waitMs", "must be between 100 and 120000");
            check(pull.IdleMs is >= 0 and <= 3_600_000, $"{at}.pull.idleMs", "must be between 0 and 3600000");
            check(pull.StallMs is >= 200 and <= 60_000, $"{at}.pull.stallMs", "must be between 200 and 60000");
            check(pull.ConnectTimeoutMs is >= 100 and <= 60_000, $"{at}.pull.connectTimeoutMs", "must be between 100 and 60000");
            check(pull.MaxHops is >= 1 and <= 64, $"{at}.pull.maxHops", "must be between 1 and 64");
            check(pull.RetryMs is >= 50 and <= 60_000, $"{at}.pull.retryMs", "must be between 50 and 60000");
            check(pull.MaxRetryMs >= pull.RetryMs && pull.MaxRetryMs <= 600_000, $"{at}.pull.maxRetryMs", "must be between retryMs and 600000");
        }
        check(app.Push is not null, $"{at}.push", "must be an array of rtmp://, rtmps:// or srt:// URLs");
        for (var i = 0; i < (app.Push?.Count ?? 0); i++)
        {
            if (app.Push![i] is not { } push)
            {
                check(false, $"{at}.push[{i}]", "must be an rtmp://, rtmps:// or srt:// URL, or an object with url, caFile and pinSha256");
                continue;
            }
            check(Relay.Urls.UpstreamUrl.TryParse(push.Url, out var target, out var problem) && target.Protocol is Relay.Urls.UpstreamProtocol.Rtmp or Relay.Urls.UpstreamProtocol.Srt,
                $"{at}.push[{i}]", push.Url.Length == 0 ? "has no url: must be an rtmp://, rtmps:// or srt:// URL" : problem.Length > 0 ? problem : "must be an rtmp://, rtmps:// or srt:// URL");
            Relay.Config.UpstreamConfigValidator.ValidateTls(push.CaFile, push.PinSha256, target, $"{at}.push[{i}]", check);
        }
        check(app.Hls is not null, $"{at}.hls", "must be an object");
        if (app.Hls is not null)
        {
            check(app.Hls.TargetDurationMs is >= 500 and <= 30_000, $"{at}.hls.targetDurationMs", "must be between 500 and 30000");
            check(app.Hls.WindowSegments is >= 2 and <= 100, $"{at}.hls.windowSegments", "must be between 2 and 100");
            check(app.Hls.MinSegments >= 1 && app.Hls.MinSegments <= app.Hls.WindowSegments, $"{at}.hls.minSegments", "must be between 1 and windowSegments");
            check(app.Hls.ExtraSegments is >= 0 and <= 100, $"{at}.hls.extraSegments", "must be between 0 and 100");
            check(app.Hls.IdleStopMs is >= 1000 and <= 3_600_000, $"{at}.hls.idleStopMs", "must be between 1000 and 3600000");
            check(app.Hls.Encryption is not null, $"{at}.hls.encryption", "must be an object");
            check(app.Hls.Encryption is null || app.Hls.Encryption.RotateEverySegments is >= 1 and <= 1_000_000,
                $"{at}.hls.encryption.rotateEverySegments", "must be between 1 and 1000000");
        }
        check(app.Cmaf is not null, $"{at}.cmaf", "must be an object");
        if (app.Cmaf is not null)
        {
            // A segment holds at least two parts; the part target is LL-HLS PART-TARGET, constant for a stream's life.
            var targetMs = app.Hls?.TargetDurationMs ?? new Streaming.Settings.HlsConfig().TargetDurationMs;
            check(app.Cmaf.PartTargetMs >= 100 && app.Cmaf.PartTargetMs * 2 <= targetMs, $"{at}.cmaf.partTargetMs", "must be at least 100 and at most half of hls.targetDurationMs");
            check(app.Cmaf.MaxHeldRequests is >= 1 and <= 1_000_000, $"{at}.cmaf.maxHeldRequests", "must be between 1 and 1000000");
        }
    }

    private static void ValidateOperations(ApplianceConfig config, Action<bool, string, string> check)
    {
        check(config.Node is not null, "node", "must be an object");
        check(config.Control is not null, "control", "must be an object");
        check(config.Admin is not null, "admin", "must be an object");
        if (config.Node is { } node)
        {
            check(node.Id is not null && node.Id.Length <= 128 && node.Id.AsSpan().IndexOfAny(" \t\r\n,;=\"") < 0, "node.id", "must be at most 128 characters without spaces, ',', ';', '=' or quotes");
            check(node.Role is "" or "origin" or "upper" or "middle" or "edge", "node.role", "must be one of origin, upper, middle, edge (or empty to derive it)");
        }
        if (config.Control is { } control)
        {
            check(control.Socket is not null && control.Socket.Length <= 100 && (control.Socket is "" or "off" || control.Socket.StartsWith('/')),
                "control.socket", "must be an absolute path of at most 100 characters, \"off\", or empty for the default");
            check(control.DrainTimeoutMs is >= 0 and <= 3_600_000, "control.drainTimeoutMs", "must be between 0 and 3600000");
        }
        if (config.Admin is { } admin)
        {
            check(admin.Listen == "" || TryParseEndPoint(admin.Listen, out _), "admin.listen", $"'{admin.Listen}' is not host:port (or empty to disable)");
            check(admin.MaxStreamLabels is >= 0 and <= 10_000, "admin.maxStreamLabels", "must be between 0 and 10000");
            check(IsAdminToken(admin.Token), "admin.token", $"must be empty (no command API) or {MinAdminTokenLength} to {MaxAdminTokenLength} visible ASCII characters without spaces");
        }
        Relay.Directory.DirectoryConfigValidator.Validate(config.Directory, check);
        if (config.Log is { } log)
        {
            check(log.AccessFile is not null && (log.AccessFile == "" || Path.IsPathFullyQualified(log.AccessFile)), "log.accessFile", "must be an absolute path, or empty for the console");
        }
    }

    /// <summary>Unset, or at least 16 bytes as hex.</summary>
    private static bool IsHexSecret(string? secret) =>
        secret is null || (secret.Length >= 32 && secret.Length % 2 == 0 && !secret.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"));

    private const int MinAdminTokenLength = 16;
    private const int MaxAdminTokenLength = 256;

    /// <summary>A bearer token travels in a header: visible ASCII only, and long enough not to be guessed.</summary>
    private static bool IsAdminToken(string? token) =>
        token is not null && (token.Length == 0 ||
            token.Length is >= MinAdminTokenLength and <= MaxAdminTokenLength && !token.AsSpan().ContainsAnyExceptInRange('!', '~'));

    /// <summary>What a Host header or tcUrl host can equal once its port is cut: no ':' or brackets, no '/'.</summary>
    internal static bool IsHostName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 253 && name.AsSpan().IndexOfAny(":[]/?#@ \t") < 0;

    private static bool IsPathSegment(string? name) =>
        !string.IsNullOrEmpty(name) && name.AsSpan().IndexOfAny("/?. \t#%\\") < 0;

    public static bool TryParseEndPoint(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0 || parsed is not null && text.EndsWith(":0", StringComparison.Ordinal))
        {
            endPoint = parsed;
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] == "localhost" && int.TryParse(text[(colon + 1)..], out var port) && port is >= 0 and <= 65535)
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        return false;
    }
}
