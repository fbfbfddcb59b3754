using Microsoft.Extensions.Logging;

namespace Appliance.Live.Logging;

/// <summary>Every log line the live layer writes, source-generated so logging a line allocates little and needs no reflection.</summary>
internal static partial class LiveLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "access proto={Protocol} client={Client} stream={Stream} status={Status} in={BytesIn} out={BytesOut} duration={DurationSeconds:F1}s reason=\"{Reason}\"")]
    public static partial void Access(ILogger logger, string protocol, string client, string stream, string status, long bytesIn, long bytesOut, double durationSeconds, string reason);

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

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "stream {Stream}: dropped a frame: {Reason}")]
    public static partial void FrameDropped(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "listening for {Protocol} on {EndPoint}")]
    public static partial void Listening(ILogger logger, string protocol, string endPoint);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Protocol} session from {Client} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string protocol, string client);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Protocol} {Client} refused for {Stream}: {Reason}")]
    public static partial void AuthRefused(ILogger logger, string protocol, string client, string stream, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "stream {Stream}: {Message}")]
    public static partial void Packaging(ILogger logger, string stream, string message);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "draining: accepting nothing new; {Viewers} viewer(s) may stay up to {TimeoutSeconds} s")]
    public static partial void Draining(ILogger logger, int viewers, int timeoutSeconds);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "drained: {Viewers} viewer(s) still connected are closed now")]
    public static partial void Drained(ILogger logger, int viewers);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "stream {Stream}: the new source continues the same timeline (no discontinuity)")]
    public static partial void TimelineContinues(ILogger logger, string stream);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "stream {Stream}: the new source starts a new timeline, moved by {OffsetMs} ms")]
    public static partial void TimelineRebased(ILogger logger, string stream, long offsetMs);

    /// <summary>The count line of a <see cref="RepeatedLog"/>, at the level of the line it stands for.</summary>
    [LoggerMessage(EventId = 16, Message = "{Subject}: {What}: repeated {Count} more times in the last {Seconds:F1} s")]
    public static partial void Repeated(ILogger logger, LogLevel level, string subject, string what, long count, double seconds);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "stream {Stream}: TS: {Track} sequence header refused: {Problem}; {Consequence}")]
    public static partial void SequenceHeaderRefused(ILogger logger, string stream, string track, string problem, string consequence);
}
