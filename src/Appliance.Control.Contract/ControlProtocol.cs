namespace Appliance.Control.Contract;

/// <summary>The control socket's wire rules, shared by the daemon and appliancectl.</summary>
public static class ControlProtocol
{
    /// <summary>Sent in every request and reply; a daemon refuses a request of a version it does not speak.</summary>
    public const int Version = 1;

    /// <summary>A request line longer than this is refused and the connection closed.</summary>
    public const int MaxRequestBytes = 64 * 1024;
}
