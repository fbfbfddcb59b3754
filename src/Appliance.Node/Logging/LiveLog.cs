using Microsoft.Extensions.Logging;

namespace Appliance.Node.Logging;

/// <summary>Every log line the live layer writes, source-generated so logging a line allocates little and needs no reflection.</summary>
internal static partial class LiveLog
{
    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "closing {Protocol} connection from {Client}: {Reason}")]
    public static partial void Rejected(ILogger logger, string protocol, string client, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "publish start {Stream} from {Client}")]
    public static partial void PublishStart(ILogger logger, string stream, string client);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "publish stop {Stream} from {Client}: {Reason}")]
    public static partial void PublishStop(ILogger logger, string stream, string client, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "viewer {Client} of {Stream} closed: {Reason}")]
    public static partial void ViewerDropped(ILogger logger, string client, string stream, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "rtmp {Client}: ignoring {What}")]
    public static partial void Ignored(ILogger logger, string client, string what);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "listening for {Protocol} on {EndPoint}")]
    public static partial void Listening(ILogger logger, string protocol, string endPoint);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Protocol} session from {Client} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string protocol, string client);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Protocol} {Client} refused for {Stream}: {Reason}")]
    public static partial void AuthRefused(ILogger logger, string protocol, string client, string stream, string reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Debug, Message = "http {Client}: a held request ended after {HeldMs} ms without what it asked for ({How}): {Ask}")]
    public static partial void HoldEnded(ILogger logger, string client, long heldMs, string how, string ask);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "draining: accepting nothing new; {Viewers} viewer(s) may stay up to {TimeoutSeconds} s")]
    public static partial void Draining(ILogger logger, int viewers, int timeoutSeconds);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "drained: {Viewers} viewer(s) still connected are closed now")]
    public static partial void Drained(ILogger logger, int viewers);
}
