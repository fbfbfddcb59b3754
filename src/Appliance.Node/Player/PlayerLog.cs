using Microsoft.Extensions.Logging;

namespace Appliance.Node.Player;

/// <summary>The player page's log lines: one each time the scripts are read (start, reload).</summary>
internal static partial class PlayerLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "player page on: {Count} scripts from {Directory}")]
    public static partial void Loaded(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "player page off, /{{app}}/{{stream}}.html and /player/ answer 404: {Problem} (http.playerDir)")]
    public static partial void Off(ILogger logger, string problem);

    public static void Report(ILogger logger, PlayerFiles files)
    {
        if (files.Problem is { } problem)
        {
            Off(logger, problem);
        }
        else
        {
            Loaded(logger, files.Count, files.Directory);
        }
    }
}
