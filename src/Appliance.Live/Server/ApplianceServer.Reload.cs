using Appliance.Live.Config;
using Appliance.Live.ControlSocket.Contract;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Server;

public sealed partial class ApplianceServer
{
    private readonly Lock _reloadLock = new();

    /// <summary>
    /// Reads the config file again. A file that does not validate changes nothing and the reply
    /// names the key path; a good one is used by every new session at once, while sessions that
    /// are open keep the config they started with.
    /// </summary>
    public ControlReply Reload()
    {
        if (ConfigPath is null)
        {
            return ControlReply.Failure("the daemon runs on the embedded default config (no --config file), so there is nothing to reload");
        }
        lock (_reloadLock)
        {
            ApplianceConfig config;
            try
            {
                config = ConfigLoader.Load(ConfigPath);
            }
            catch (ConfigException ex)
            {
                Context.Logger.LogWarning("reload refused, the running config stays: {Problem}", ex.Message);
                return ControlReply.Failure($"reload refused, the running config stays: {ex.Message}");
            }
            var old = Context.Config;
            Context.Apply(config);
            Context.Relay?.Apply(config);
            var restart = RestartOnly(old, config);
            var message = restart.Count == 0
                ? $"reloaded {ConfigPath}"
                : $"reloaded {ConfigPath}; these changes take effect after a restart: {string.Join(", ", restart)}";
            Context.Logger.LogInformation("{Message}", message);
            return ControlReply.Success(message);
        }
    }

    /// <summary>Settings a running node cannot change (bound sockets, the serializer's chunk size, the cache, the node id, the directory's connection).</summary>
    private static List<string> RestartOnly(ApplianceConfig old, ApplianceConfig now)
    {
        var changed = new List<string>();
        void Check(bool same, string path)
        {
            if (!same)
            {
                changed.Add(path);
            }
        }
        Check(old.Rtmp.Listen == now.Rtmp.Listen, "rtmp.listen");
        Check(old.Rtmp.ChunkSize == now.Rtmp.ChunkSize, "rtmp.chunkSize");
        Check(old.Http.Listen == now.Http.Listen, "http.listen");
        Check(old.Admin.Listen == now.Admin.Listen, "admin.listen");
        Check(old.Control.Socket == now.Control.Socket, "control.socket");
        Check(old.Cache.MaxBytes == now.Cache.MaxBytes, "cache.maxBytes");
        Check(old.Node.Id == now.Node.Id, "node.id");
        Check(old.Log.Level == now.Log.Level, "log.level");
        Check(old.Security.SessionSecret == now.Security.SessionSecret, "security.sessionSecret");
        Check(old.Directory.Redis == now.Directory.Redis, "directory.redis");
        Check(old.Directory.Advertise == now.Directory.Advertise, "directory.advertise");
        Check(old.Directory.TtlMs == now.Directory.TtlMs, "directory.ttlMs");
        Check(old.Directory.LookupTimeoutMs == now.Directory.LookupTimeoutMs, "directory.lookupTimeoutMs");
        Check(old.Directory.KeyPrefix == now.Directory.KeyPrefix, "directory.keyPrefix");
        return changed;
    }
}
