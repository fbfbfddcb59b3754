using Microsoft.Extensions.Logging;

namespace Appliance.Node.Transcoding;

/// <summary>The transcoders' log lines, each naming the source stream; source-generated.</summary>
internal static partial class TranscodeLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "transcode {Source}: ffmpeg pid {Pid} makes {Rungs} with {Encoder}")]
    public static partial void Started(ILogger logger, string source, int pid, string rungs, string encoder);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "transcode {Source}: ffmpeg pid {Pid} failed ({Reason}); restart {Restart} in {DelayMs} ms")]
    public static partial void Failed(ILogger logger, string source, int pid, string reason, int restart, int delayMs);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "transcode {Source}: stopped ({Reason})")]
    public static partial void Stopped(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "transcode {Source}: refused for {Client}: {Running} transcoders run and transcode.maxConcurrent is {Max}; the source plays on without its rungs")]
    public static partial void Refused(ILogger logger, string source, string client, int running, int max);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "transcode {Source}: no rung {Label} for {Client}: {Reason}")]
    public static partial void NoRung(ILogger logger, string source, string label, string client, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "transcode {Source}: ffmpeg pid {Pid}: {Line}")]
    public static partial void FfmpegLine(ILogger logger, string source, int pid, string line);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "transcode {Source}: {Count} more ffmpeg lines in {Seconds:F0} s not logged")]
    public static partial void LinesSuppressed(ILogger logger, string source, long count, double seconds);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "transcode {Source}: {What}; restarting ffmpeg with the rungs it needs now")]
    public static partial void SourceChanged(ILogger logger, string source, string what);

    [LoggerMessage(EventId = 708, Level = LogLevel.Information, Message = "transcode {Source}: skipping rung {Label}: {Reason}")]
    public static partial void RungSkipped(ILogger logger, string source, string label, string reason);
}
