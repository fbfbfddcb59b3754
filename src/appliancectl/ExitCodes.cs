namespace Appliance.Ctl;

/// <summary>What scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The daemon answered with an error (unknown session, reload refused, ...).</summary>
    public const int DaemonError = 1;

    public const int Usage = 2;

    /// <summary>No daemon: the socket does not exist or nobody listens on it.</summary>
    public const int NotRunning = 3;

    /// <summary>The socket exists but this user may not use it (not in the service's group).</summary>
    public const int PermissionDenied = 4;
}
