using Appliance.Relay.Urls;
using Appliance.Transport.Sockets;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Routing;

/// <summary>
/// A failed SRT connect to a parent or push target in words: the stream id refused (SRT access
/// control: 1404 not found, 1403 forbidden...), a wrong or missing passphrase, no answer.
/// </summary>
public static class SrtRefusal
{
    // libsrt's SRT_REJ_* codes that a caller meets on a path that works.
    private const int RejectBadSecret = 10;
    private const int RejectUnsecure = 11;
    private const int RejectTimeout = 16;

    /// <summary>Why; <paramref name="streamMissing"/> when the parent answered that it knows no such stream (the path works).</summary>
    public static string Describe(UpstreamUrl url, SrtException ex, int timeoutMs, out bool streamMissing)
    {
        var where = $"srt {ConnectException.HostPort(url.Host, url.Port)}";
        streamMissing = ex.RejectReason == SrtHandshakeDecision.NotFound;
        return ex.RejectReason switch
        {
            SrtHandshakeDecision.NotFound => $"{where} refused the stream id: not found (SRT reject 1404)",
            SrtHandshakeDecision.BadRequest => $"{where} refused the stream id: bad request (SRT reject 1400)",
            SrtHandshakeDecision.Unauthorized => $"{where} refused the stream id: unauthorized (SRT reject 1401)",
            SrtHandshakeDecision.Forbidden => $"{where} refused the stream id: forbidden (SRT reject 1403)",
            SrtHandshakeDecision.Conflict => $"{where} refused the stream id: conflict, e.g. draining (SRT reject 1409)",
            RejectBadSecret => $"{where}: wrong passphrase (SRT reject: bad secret)",
            RejectUnsecure => $"{where}: a passphrase on one side only (SRT reject: unsecure)",
            RejectTimeout => $"{where}: no answer within {timeoutMs} ms",
            _ => $"{where}: {ex.Message}",
        };
    }
}
