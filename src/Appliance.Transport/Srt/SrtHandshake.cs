using System.Net;

namespace Appliance.Transport.Srt;

/// <summary>A caller's connection request as the listener sees it, before it is accepted: who, and the stream id it sent.</summary>
public readonly record struct SrtHandshake(IPEndPoint? Peer, string StreamId);

/// <summary>
/// The listener's answer to a handshake: the settings to accept it with, or an SRT access-control
/// rejection (1000 + an HTTP status: 1400 bad request, 1401 unauthorized, 1403 forbidden, 1404 not found).
/// </summary>
public readonly record struct SrtHandshakeDecision(SrtSettings? Settings, int RejectReason)
{
    public static SrtHandshakeDecision Accept(SrtSettings settings) => new(settings, 0);

    public static SrtHandshakeDecision Reject(int reason) => new(null, reason);

    public const int BadRequest = 1400;
    public const int Unauthorized = 1401;
    public const int Forbidden = 1403;
    public const int NotFound = 1404;
    public const int Conflict = 1409;
}
