namespace Appliance.Node.Config;

/// <summary>
/// Keys a running node cannot change: bound sockets, the serializer's chunk size, the cache, the
/// send transport, the node id, the log level, the session and HLS key secrets, the directory's connection. A reload keeps their
/// running values, so the config in effect (and what `appliancectl config` shows) is what the node
/// really uses, and reports the keys whose new value waits for a restart.
/// </summary>
internal static class RestartBoundKeys
{
    private static readonly Key[] Keys =
    [
        new("rtmp.listen", c => c.Rtmp.Listen, (to, from) => to.Rtmp.Listen = from.Rtmp.Listen),
        new("rtmp.chunkSize", c => c.Rtmp.ChunkSize, (to, from) => to.Rtmp.ChunkSize = from.Rtmp.ChunkSize),
        new("http.listen", c => c.Http.Listen, (to, from) => to.Http.Listen = from.Http.Listen),
        new("https.listen", c => c.Https.Listen, (to, from) => to.Https.Listen = from.Https.Listen),
        new("rtmps.listen", c => c.Rtmps.Listen, (to, from) => to.Rtmps.Listen = from.Rtmps.Listen),
        new("srt.listen", c => c.Srt.Listen, (to, from) => to.Srt.Listen = from.Srt.Listen),
        new("admin.listen", c => c.Admin.Listen, (to, from) => to.Admin.Listen = from.Admin.Listen),
        new("admin.tls", c => c.Admin.Tls, (to, from) => to.Admin.Tls = from.Admin.Tls),
        new("control.socket", c => c.Control.Socket, (to, from) => to.Control.Socket = from.Control.Socket),
        new("cache.maxBytes", c => c.Cache.MaxBytes, (to, from) => to.Cache.MaxBytes = from.Cache.MaxBytes),
        // Sockets are opened with their writer; a running node keeps the transport it started with.
        new("transport.send", c => c.Transport.Send, (to, from) => to.Transport.Send = from.Transport.Send),
        new("transport.zeroCopyMinBytes", c => c.Transport.ZeroCopyMinBytes, (to, from) => to.Transport.ZeroCopyMinBytes = from.Transport.ZeroCopyMinBytes),
        new("node.id", c => c.Node.Id, (to, from) => to.Node.Id = from.Node.Id),
        new("log.level", c => c.Log.Level, (to, from) => to.Log.Level = from.Log.Level),
        new("security.sessionSecret", c => c.Security.SessionSecret, (to, from) => to.Security.SessionSecret = from.Security.SessionSecret),
        // Segments in the cache are encrypted with keys from the running secret.
        new("security.hlsKeySecret", c => c.Security.HlsKeySecret, (to, from) => to.Security.HlsKeySecret = from.Security.HlsKeySecret),
        new("directory.redis", c => c.Directory.Redis, (to, from) => to.Directory.Redis = from.Directory.Redis),
        new("directory.advertise", c => c.Directory.Advertise, (to, from) => to.Directory.Advertise = from.Directory.Advertise),
        new("directory.ttlMs", c => c.Directory.TtlMs, (to, from) => to.Directory.TtlMs = from.Directory.TtlMs),
        new("directory.lookupTimeoutMs", c => c.Directory.LookupTimeoutMs, (to, from) => to.Directory.LookupTimeoutMs = from.Directory.LookupTimeoutMs),
        new("directory.keyPrefix", c => c.Directory.KeyPrefix, (to, from) => to.Directory.KeyPrefix = from.Directory.KeyPrefix),
    ];

    /// <summary>
    /// Gives <paramref name="loaded"/> (a config nobody uses yet) the running value of every
    /// restart-bound key and returns the keys whose value in the file differs: those wait for a
    /// restart. Comparing with the running values, not the previous file, keeps a key listed over
    /// later reloads until the file goes back to the running value.
    /// </summary>
    public static List<string> KeepRunning(ApplianceConfig running, ApplianceConfig loaded)
    {
        var pending = new List<string>();
        foreach (var key in Keys)
        {
            if (!Equals(key.Value(running), key.Value(loaded)))
            {
                pending.Add(key.Path);
                key.Keep(loaded, running);
            }
        }
        return pending;
    }

    private sealed record Key(string Path, Func<ApplianceConfig, object?> Value, Action<ApplianceConfig, ApplianceConfig> Keep);
}
