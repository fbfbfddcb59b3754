using Appliance.Node.Config;
using Appliance.Control.Contract;

namespace Appliance.Node.Server;

public sealed partial class ApplianceServer
{
    private readonly Lock _reloadLock = new();
    private volatile IReadOnlyList<string> _pendingRestart = [];

    /// <summary>Restart-bound keys (rtmp.listen, ...) whose value in the file differs from the one in effect since start.</summary>
    public IReadOnlyList<string> PendingRestart => _pendingRestart;

    /// <summary>
    /// Reads the config file again. A file that does not validate changes nothing and the reply
    /// names the key path (the log says it too, once, whoever asked); a good one is used by every new session at once, while sessions that
    /// are open keep the config they started with. Restart-bound keys keep their running value
    /// and are reported as waiting for a restart.
    /// </summary>
    public ControlReply Reload()
    {
        if (ConfigPath is null)
        {
            ReloadLog.NoConfigFile(Context.Logger);
            return ControlReply.Failure("the daemon runs on the embedded default config (no --config file), so there is nothing to reload");
        }
        lock (_reloadLock)
        {
            ApplianceConfig config;
            Transport.Tls.TlsCertificateSet? certificates = null;
            List<string> certificateWarnings = [];
            Transport.Tls.TlsClientTrust outboundTrust;
            try
            {
                config = ConfigLoader.Load(ConfigPath);
                outboundTrust = Tls.OutboundTls.Read(config);
                // Read before anything applies: a bad certificate file refuses the whole reload,
                // so the running certificates keep serving new handshakes.
                if (Context.Certificates is not null)
                {
                    certificates = Tls.NodeCertificates.Read(config.Tls, DateTime.UtcNow, out certificateWarnings);
                }
            }
            catch (ConfigException ex)
            {
                ReloadLog.Refused(Context.Logger, ex.Message);
                return ControlReply.Failure($"reload refused, the running config stays: {ex.Message}");
            }
            var pending = RestartBoundKeys.KeepRunning(Context.Config, config);
            Context.Apply(config);
            if (certificates is not null)
            {
                Context.Certificates!.Replace(certificates, certificateWarnings);
            }
            Context.Relay?.Apply(RelayApps.Of(config), outboundTrust);
            _pendingRestart = pending;
            if (pending.Count == 0)
            {
                ReloadLog.Reloaded(Context.Logger, ConfigPath);
                return ControlReply.Success($"reloaded {ConfigPath}");
            }
            var keys = string.Join(", ", pending);
            ReloadLog.ReloadedPendingRestart(Context.Logger, ConfigPath, keys);
            return ControlReply.Success($"reloaded {ConfigPath}; these keys keep their running value until a restart: {keys}");
        }
    }
}
