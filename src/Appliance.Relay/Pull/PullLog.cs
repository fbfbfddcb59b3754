using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Pull;

/// <summary>The log lines of pulls and pushes, source-generated.</summary>
internal static partial class PullLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "pull {Stream}: started for a request via [{Via}]")]
    public static partial void PullStarted(ILogger logger, string stream, string via);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "pull {Stream}: attempt on {Upstream} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string stream, string upstream, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "pull {Stream}: switched from {From} to {To}")]
    public static partial void PullSwitched(ILogger logger, string stream, string from, string to);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "pull {Stream}: no viewer for {IdleMs} ms, stopping")]
    public static partial void PullIdle(ILogger logger, string stream, int idleMs);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "pull {Stream}: giving up: {Reason}")]
    public static partial void PullGaveUp(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "pull {Stream}: stopped ({Reason})")]
    public static partial void PullStopped(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "pull {Stream}: refused for {Client}: {Reason}")]
    public static partial void PullRefused(ILogger logger, string stream, string client, string reason);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "pull {Stream}: media flows from {Upstream}")]
    public static partial void PullFlowing(ILogger logger, string stream, string upstream);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug, Message = "pull {Stream}: media from {Upstream} came late or with a gap (counted as a stall of the route)")]
    public static partial void MediaLate(ILogger logger, string stream, string upstream);

    [LoggerMessage(EventId = 309, Level = LogLevel.Warning, Message = "pull {Stream}: {Upstream} sent a bad media time, its timestamps are taken as they come: {Problem}")]
    public static partial void MediaTimeIgnored(ILogger logger, string stream, string upstream, string problem);
}
