namespace Appliance.Protocols.Rtmp;

/// <summary>
/// connect: the app as sent (a query after '?' included), the tcUrl and pageUrl when given, and the
/// object encoding the result echoes.
/// </summary>
public readonly record struct RtmpConnectRequest(double TransactionId, string App, string? TcUrl, string? PageUrl, double ObjectEncoding);

/// <summary>publish: the stream name as sent (query included) and the publishing type (live, record, append), null when absent.</summary>
public readonly record struct RtmpPublishRequest(double TransactionId, string? Name, string? Type);

/// <summary>
/// play: the stream name as sent, start (-2 live or recorded, -1 live only, else a position in
/// seconds), duration (-1 to the end) and whether the client asked for a reset (the default).
/// </summary>
public readonly record struct RtmpPlayRequest(double TransactionId, string? Name, double Start, double Duration, bool Reset);
