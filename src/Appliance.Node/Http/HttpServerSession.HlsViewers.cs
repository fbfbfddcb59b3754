using System.Net;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Node.Sessions;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    // Who asks for HLS on this connection's current request (set when it is routed), and the
    // HLS session its response counts to (null: not counted).
    private IPAddress? _hlsClient;
    private string? _hlsAgent;
    private HlsSession? _hlsViewer;

    /// <summary>
    /// Notes the player behind an HLS request: the client address as the app's policy resolves it
    /// (the forwarded address from a trusted proxy, else the peer) and its User-Agent.
    /// </summary>
    private void IdentifyHlsPlayer(AppConfig app)
    {
        // Until this request is admitted, its answers count to no session (not the previous request's).
        _hlsViewer = null;
        var peer = Connection.RemoteEndPoint?.Address ?? IPAddress.None;
        // Only behind a trusted proxy does this parse (and allocate) anything.
        _hlsClient = _context.Policies.For(app.Auth).ResolveClientIp(peer, Request.GetHeader("X-Forwarded-For"));
        _hlsAgent = Request.GetHeader("User-Agent");
    }

    /// <summary>
    /// Counts a GET of a playlist or segment of <paramref name="stream"/> to its player's HLS
    /// session, making one within the limits. False when refused, with the answer sent: a kicked
    /// player gets 403, a new player past a limit 503 (the status any viewer past a limit gets).
    /// HEAD requests are neither counted nor refused.
    /// </summary>
    private bool AdmitHlsViewer(LiveStream stream, bool headOnly, bool keepAlive)
    {
        _hlsViewer = null;
        if (headOnly)
        {
            return true;
        }
        var limits = _config.Limits;
        var admission = _context.HlsSessions.Admit(stream, _hlsClient ?? IPAddress.None, _hlsAgent,
            limits.MaxHlsSessions, limits.MaxConnectionsPerIp, out _hlsViewer);
        switch (admission)
        {
            case HlsAdmission.Counted or HlsAdmission.Uncounted:
                return true;
            case HlsAdmission.Kicked:
                // Logged once, when it was kicked: a player that keeps asking must not flood the log.
                WriteText(403, "forbidden\n", keepAlive, headOnly);
                return false;
            case HlsAdmission.StreamFull:
                LiveLog.Rejected(_context.Logger, "http", Client, $"stream {stream.Key} has its maximum of {stream.App.MaxViewersPerStream} viewers");
                WriteText(503, "stream full\n", keepAlive, headOnly);
                return false;
            default:
                LiveLog.Rejected(_context.Logger, "http", Client, admission == HlsAdmission.TableFull
                    ? $"HLS session limit reached ({limits.MaxHlsSessions})"
                    : $"too many HLS sessions from {_hlsClient} ({limits.MaxConnectionsPerIp})");
                WriteText(503, "unavailable\n", keepAlive, headOnly);
                return false;
        }
    }
}
