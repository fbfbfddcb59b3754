namespace Appliance.Node.Config;

/// <summary>The control socket that appliancectl talks to.</summary>
public sealed class ControlConfig
{
    /// <summary>Path of the Unix socket; empty = $RUNTIME_DIRECTORY/control.sock, else /run/appliance/control.sock; "off" disables it.</summary>
    public string Socket { get; set; } = "";

    /// <summary>How long an SIGTERM or `appliancectl drain` lets viewers finish before the node exits.</summary>
    public int DrainTimeoutMs { get; set; } = 30_000;
}
