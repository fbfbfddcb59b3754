using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Directory;

/// <summary>The log lines of the stream directory, source-generated; event ids from 400.</summary>
internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "directory: connected to redis {Redis}")]
    public static partial void Connected(ILogger logger, string redis);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "directory: redis {Redis} is unreachable ({Reason}); pulls use the configured upstreams meanwhile, reconnecting in the background")]
    public static partial void Disconnected(ILogger logger, string redis, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "directory: registering streams failed: {Reason}")]
    public static partial void RegisterFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "directory: registering works again, {Streams} stream(s) registered")]
    public static partial void RegisterRecovered(ILogger logger, int streams);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "directory: ignoring the entry of {Stream}: it {Problem}: \"{Value}\"")]
    public static partial void BadEntry(ILogger logger, string stream, string problem, string value);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "directory: lookup of {Stream} failed: {Reason}")]
    public static partial void LookupFailed(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "directory: {Stream} is at node {Node}, {Url}")]
    public static partial void Found(ILogger logger, string stream, string node, string url);

    [LoggerMessage(EventId = 407, Level = LogLevel.Debug, Message = "directory: ignoring the entry of {Stream} at node {Node}: {Reason}")]
    public static partial void Ignored(ILogger logger, string stream, string node, string reason);

    [LoggerMessage(EventId = 408, Level = LogLevel.Debug, Message = "directory: {Stream} registered as {Value}")]
    public static partial void Registered(ILogger logger, string stream, string value);

    [LoggerMessage(EventId = 409, Level = LogLevel.Debug, Message = "directory: {Stream} removed")]
    public static partial void Removed(ILogger logger, string stream);
}
