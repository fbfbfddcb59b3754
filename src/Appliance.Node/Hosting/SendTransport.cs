using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Transport.Uring;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Hosting;

/// <summary>
/// The node's choice of socket writer (<c>transport.send</c>), made once at start: the io_uring
/// send ring when asked for and the kernel allows it, else epoll. A refused ring is one log line
/// and the node goes on with epoll; it never fails to start for it.
/// </summary>
public sealed class SendTransport : IDisposable
{
    private SendTransport(string name, SendRing? ring)
    {
        Name = name;
        Ring = ring;
    }

    /// <summary>"epoll" or "io_uring": what the node's listeners write with.</summary>
    public string Name { get; }

    /// <summary>The ring RTMP and HTTP connections write through; null on epoll.</summary>
    public SendRing? Ring { get; }

    public static SendTransport Epoll { get; } = new(SendModes.Epoll, null);

    /// <param name="environment">Where the ring reads APPLIANCE_IO_URING_DISABLE; the process's environment by default.</param>
    public static SendTransport Open(TransportConfig config, ILogger logger, Func<string, string?>? environment = null)
    {
        if (config.Send == SendModes.Epoll)
        {
            return Epoll;
        }
        var ring = SendRing.TryStart(out var refusal, config.ZeroCopyMinBytes, environment);
        if (ring is null)
        {
            if (config.Send == SendModes.Auto)
            {
                TransportLog.RingUnavailable(logger, refusal ?? "unknown");
            }
            else
            {
                TransportLog.RingRefused(logger, config.Send, refusal ?? "unknown");
            }
            return Epoll;
        }
        TransportLog.RingStarted(logger, config.ZeroCopyMinBytes);
        return new SendTransport(SendModes.IoUring, ring);
    }

    public void Dispose() => Ring?.Dispose();
}
