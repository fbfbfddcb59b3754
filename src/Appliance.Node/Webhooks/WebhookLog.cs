using Microsoft.Extensions.Logging;

namespace Appliance.Node.Webhooks;

/// <summary>The webhook lines. URLs are shown with their query values masked (they may carry a token).</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "webhook {Url}: queue full at {QueueSize} events, {Event} event of {Stream} dropped")]
    public static partial void Dropped(ILogger logger, string url, int queueSize, string @event, string stream);

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "webhook {Url}: {Event} event of {Stream} not delivered ({Answer}); retry {Retry} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string url, string @event, string stream, string answer, int retry, long delayMs);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "webhook {Url}: {Event} event of {Stream} given up after {Attempts} attempt(s): {Answer}")]
    public static partial void GaveUp(ILogger logger, string url, string @event, string stream, int attempts, string answer);
}
