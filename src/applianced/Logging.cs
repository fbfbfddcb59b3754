using Microsoft.Extensions.Logging;
using ZLogger;

namespace Appliance.Daemon;

internal static class Logging
{
    public static ILoggerFactory Create(string level) => LoggerFactory.Create(builder =>
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(Parse(level));
        builder.AddZLoggerConsole(options =>
        {
            options.UsePlainTextFormatter(formatter =>
                formatter.SetPrefixFormatter($"{0:yyyy-MM-ddTHH:mm:ss.fffZ} {1:short} {2} ",
                    (in MessageTemplate template, in LogInfo info) =>
                        template.Format(info.Timestamp.Utc.UtcDateTime, info.LogLevel, info.Category)));
        });
    });

    private static LogLevel Parse(string level) => level switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
