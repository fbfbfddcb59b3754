using Microsoft.Extensions.Logging;

namespace Appliance.Node.Admin;

/// <summary>The command API's log lines, source-generated.</summary>
internal static partial class AdminApiLog
{
    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "admin api: {Command} from {Client} -> {Outcome}")]
    public static partial void Command(ILogger logger, string command, string client, string outcome);

    [LoggerMessage(EventId = 541, Level = LogLevel.Warning, Message = "admin api: {Client} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string client, string reason);
}
