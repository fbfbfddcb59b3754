using Microsoft.Extensions.Logging;

namespace Appliance.Node.Logging;

/// <summary>The one line a node says about how it writes to sockets.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "transport.send {Asked}: io_uring unavailable ({Reason}); writing with epoll")]
    public static partial void RingRefused(ILogger logger, string asked, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "transport.send auto: io_uring unavailable ({Reason}); writing with epoll")]
    public static partial void RingUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "transport.send: writing through io_uring (zero-copy from {ZeroCopyMinBytes} bytes, 0 = off)")]
    public static partial void RingStarted(ILogger logger, int zeroCopyMinBytes);
}
