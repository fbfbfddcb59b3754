using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Push;

/// <summary>The log lines of push forwarding, source-generated.</summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "push {Stream} to {Target}: forwarding")]
    public static partial void Forwarding(ILogger logger, string stream, string target);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "push {Stream} to {Target}: failed: {Reason}; retrying in {RetryMs} ms")]
    public static partial void Failed(ILogger logger, string stream, string target, string reason, int retryMs);

    [LoggerMessage(EventId = 322, Level = LogLevel.Information, Message = "push {Stream} to {Target}: stopped ({Reason}), {Bytes} bytes sent")]
    public static partial void Stopped(ILogger logger, string stream, string target, string reason, long bytes);
}
