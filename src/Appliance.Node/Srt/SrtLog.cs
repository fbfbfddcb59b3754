using Microsoft.Extensions.Logging;

namespace Appliance.Node.Srt;

/// <summary>The SRT listener's own log lines (sessions use the node's: rejected, publish start/stop, access).</summary>
internal static partial class SrtLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "SRT is not available: {Problem}; no SRT listener is configured, so the node runs without it")]
    public static partial void Unavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "srt handshake from {Client} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "srt handshake from {Client} for '{StreamId}' did not complete: wrong or missing passphrase, or the caller gave up")]
    public static partial void HandshakeFailed(ILogger logger, string client, string streamId);
}
