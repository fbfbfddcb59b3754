using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Logging;

/// <summary>The log lines of streams, their packagers and the access log, source-generated (no reflection, little allocation).</summary>
internal static partial class StreamLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "access proto={Protocol} client={Client} stream={Stream} status={Status} in={BytesIn} out={BytesOut} duration={DurationSeconds:F1}s reason=\"{Reason}\"")]
    public static partial void Access(ILogger logger, string protocol, string client, string stream, string status, long bytesIn, long bytesOut, double durationSeconds, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "access proto={Protocol} client={Client} stream={Stream} status={Status} in={BytesIn} out={BytesOut} duration={DurationSeconds:F1}s {Fields} reason=\"{Reason}\"")]
    public static partial void AccessWithFields(ILogger logger, string protocol, string client, string stream, string status, long bytesIn, long bytesOut, double durationSeconds, string fields, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "stream {Stream}: dropped a frame: {Reason}")]
    public static partial void FrameDropped(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "stream {Stream}: {Message}")]
    public static partial void Packaging(ILogger logger, string stream, string message);

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
