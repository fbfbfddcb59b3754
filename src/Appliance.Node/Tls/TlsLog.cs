using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tls;

/// <summary>The log lines of the TLS listeners and their certificates, source-generated.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 750, Level = LogLevel.Warning, Message = "{Listener} tls handshake from {Client} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string listener, string client, string reason);

    [LoggerMessage(EventId = 751, Level = LogLevel.Information, Message = "tls certificate {Name} from {Path} (expires {NotAfter:yyyy-MM-dd HH:mm:ss} UTC)")]
    public static partial void Loaded(ILogger logger, string name, string path, DateTime notAfter);

    [LoggerMessage(EventId = 752, Level = LogLevel.Warning, Message = "tls certificate: {Warning}")]
    public static partial void Warning(ILogger logger, string warning);
}
