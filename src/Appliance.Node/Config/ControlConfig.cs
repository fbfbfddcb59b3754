namespace Appliance.Node.Config;

/// <summary>The control socket that appliancectl talks to.</summary>
public sealed class ControlConfig
{
    /// <summary>
    /// Path of the Unix socket; "off" disables it; empty = $RUNTIME_DIRECTORY/control.sock under
    /// systemd, else the first of /run/appliance, $XDG_RUNTIME_DIR/appliance and ./run where the
    /// daemon may make it (<see cref="Appliance.Control.Contract.ControlSocketLocation"/>).
    /// </summary>
    public string Socket { get; set; } = "";

    /// <summary>How long an SIGTERM or `appliancectl drain` lets viewers finish before the node exits.</summary>
    public int DrainTimeoutMs { get; set; } = 30_000;
}
