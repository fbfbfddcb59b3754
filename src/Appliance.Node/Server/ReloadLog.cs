using Microsoft.Extensions.Logging;

namespace Appliance.Node.Server;

/// <summary>The log lines of a config reload, source-generated.</summary>
internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "reloaded {Path}")]
    public static partial void Reloaded(ILogger logger, string path);

    [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "reloaded {Path}; these keys keep their running value until a restart: {Keys}")]
    public static partial void ReloadedPendingRestart(ILogger logger, string path, string keys);

    [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "reload refused, the running config stays: {Problem}")]
    public static partial void Refused(ILogger logger, string problem);

    [LoggerMessage(EventId = 523, Level = LogLevel.Warning, Message = "reload refused: the daemon runs on the embedded default config (no --config file), so there is nothing to reload")]
    public static partial void NoConfigFile(ILogger logger);
}
