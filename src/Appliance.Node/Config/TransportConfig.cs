namespace Appliance.Node.Config;

/// <summary>How the node writes to sockets. Both keys wait for a restart.</summary>
public sealed class TransportConfig
{
    /// <summary>
    /// "epoll" (sendmsg per write, the runtime's epoll when a socket is full), "io_uring" (every
    /// socket's writes submitted together through one ring; epoll, with one log line, where the
    /// kernel refuses io_uring) or "auto" (the same, the fallback line at info level: for fleets of mixed kernels).
    /// </summary>
    public string Send { get; set; } = SendModes.Epoll;

    /// <summary>io_uring only: gathers of at least this many bytes go as zero-copy sends (SENDMSG_ZC, Linux 6.1); 0 = never.</summary>
    public int ZeroCopyMinBytes { get; set; }
}
