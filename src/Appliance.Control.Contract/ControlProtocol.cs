namespace Appliance.Control.Contract;

/// <summary>The control socket's wire rules, shared by the daemon and appliancectl.</summary>
public static class ControlProtocol
{
    /// <summary>Sent in every request and reply; a daemon refuses a request of a version it does not speak.</summary>
    public const int Version = 1;

    /// <summary>A request line longer than this is refused and the connection closed.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    public const string DefaultSocketPath = "/run/appliance/control.sock";

    public const string SocketFileName = "control.sock";

    /// <summary>
    /// Where the socket is when the config does not say: $RUNTIME_DIRECTORY (set by systemd's
    /// RuntimeDirectory=) or /run/appliance. appliancectl also honours $APPLIANCE_SOCKET.
    /// </summary>
    public static string ResolveSocketPath(string? configured, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        var runtime = environment("RUNTIME_DIRECTORY");
        if (!string.IsNullOrEmpty(runtime))
        {
            // systemd passes several directories separated by ':' when a unit names several.
            var first = runtime.Split(':')[0];
            return Path.Combine(first, SocketFileName);
        }
        return DefaultSocketPath;
    }
}
