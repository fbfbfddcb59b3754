using System.Globalization;
using Appliance.Node.Logging;
using Appliance.Protocols.Http;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    /// <summary>
    /// The node's clock for DASH players (the MPDs' UTCTiming, urn:mpeg:dash:utc:http-iso:2014).
    /// Named by path, so players resolve it against the MPD's own URL: it reaches whichever node
    /// (or CDN) served the MPD, and no client's Host header is written into a manifest others read.
    /// </summary>
    internal const string TimePath = "/api/time";

    /// <summary>GET /{app}/{stream}.mpd (?ll=1: the low-latency one).</summary>
    private RequestOutcome ServeDash(in Route route, bool headOnly, bool keepAlive, string? sessionToken)
    {
        var ll = HttpQuery.Get(Request.Query, "ll");
        if (ll is not (null or "0" or "1"))
        {
            LiveLog.Rejected(_context.Logger, "http", Client, "DASH request refused: ll is neither 0 nor 1");
            WriteText(400, "ll is 0 or 1\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        var ask = new CmafAsk(default, Mpd: true, LowLatency: ll == "1", sessionToken, headOnly, keepAlive);
        return IsGroup(route) ? ServeGroupCmaf(route, ask) : ServeCmafManifest(route.Key, ask);
    }

    /// <summary>GET /api/time: the wall clock as ISO 8601 UTC with milliseconds, never cached.</summary>
    private RequestOutcome ServeTime(bool keepAlive, bool headOnly)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, "text/plain; charset=utf-8", now.Length, keepAlive, extraHeaders: NoStore);
        if (!headOnly)
        {
            System.Text.Encoding.ASCII.GetBytes(now, HeadBuffer.GetSpan(now.Length));
            HeadBuffer.Advance(now.Length);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = 200;
        return Next(keepAlive);
    }
}
