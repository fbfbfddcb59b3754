using Appliance.Node.Admin;
using Appliance.Node.Hosting;
using System.Buffers;
using System.Globalization;
using Appliance.Codecs.Flv;
using Appliance.Auth;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Node.Server;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Http;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    private static readonly KeyValuePair<string, string>[] NoStore = [new("Cache-Control", "no-cache, no-store")];
    private static readonly KeyValuePair<string, string>[] AllowedMethods = [new("Allow", "GET, HEAD, OPTIONS")];

    private RequestOutcome Respond()
    {
        var request = Request;
        var keepAlive = request.KeepAlive;
        var headOnly = request.Method == "HEAD";
        if (Connection.RemoteEndPoint is { } peer && !_context.RequestRates.TryTake(peer.Address, _config.Limits.HttpRequestsPerSecondPerIp))
        {
            LiveLog.Rejected(_context.Logger, "http", Client, $"more than {_config.Limits.HttpRequestsPerSecondPerIp} requests per second");
            WriteText(429, "too many requests\n", keepAlive: false, headOnly);
            return RequestOutcome.Close;
        }
        if (_admin && AdminApi.Owns(request.Path))
        {
            return RespondAdminApi(keepAlive, headOnly);
        }
        if (request.Method == "OPTIONS")
        {
            HeadBuffer.ResetWrittenCount();
            HttpResponseWriter.WritePreflight(HeadBuffer, keepAlive);
            Writer.Send(HeadBuffer.WrittenSpan);
            _lastStatus = 204;
            return Next(keepAlive);
        }
        if (request.Method is not ("GET" or "HEAD"))
        {
            HeadBuffer.ResetWrittenCount();
            HttpResponseWriter.WriteHead(HeadBuffer, 405, "text/plain; charset=utf-8", 19, keepAlive: false, extraHeaders: AllowedMethods);
            HeadBuffer.Write("method not allowed\n"u8);
            Writer.Send(HeadBuffer.WrittenSpan);
            _lastStatus = 405;
            return RequestOutcome.Close;
        }
        if (request.ContentLength > 0 || request.IsChunked)
        {
            WriteText(400, "a GET request has no body\n", keepAlive: false, headOnly);
            return RequestOutcome.Close;
        }
        var path = request.Path;
        if (path == "/api/health")
        {
            // Child nodes probe this to choose their parent; a draining node asks them to go elsewhere.
            WriteText(_context.Draining ? 503 : 200, _context.Draining ? "draining\n" : "ok\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (path == TimePath)
        {
            return ServeTime(keepAlive, headOnly);
        }
        if (_admin)
        {
            return RespondAdmin(path, keepAlive, headOnly);
        }
        if (IsPlayerScript(path, out var script))
        {
            return ServePlayerScript(script, keepAlive, headOnly);
        }
        // Viewers reach this listener: the listings are for operators unless the config opens them.
        if (_config.Http.PublicApi && path is "/" or "/api/streams")
        {
            return WriteJson(StreamsApi.Render(_context.Streams, withClientAddresses: false), keepAlive, headOnly);
        }
        if (_config.Http.PublicApi && path == "/api/status" && _node is not null)
        {
            return WriteJson(StatusApi.Render(NodeStatus.Capture(_node)), keepAlive, headOnly);
        }
        if (!TryRoute(path, request.Host, out var route))
        {
            if (AuthPathPrefix.HasIncompleteTokenElement(path))
            {
                // Its end is unknown, so neither the stream nor its app can be found: say why.
                LiveLog.Rejected(_context.Logger, "http", Client, $"the path holds an incomplete token element: expected {AuthPathPrefix.ExpectedTokenElement}");
            }
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        _stream = route.Key.ToString();
        if (route.File is null && route.Extension == "html")
        {
            return ServePlayerPage(route, keepAlive, headOnly);
        }
        return Authorize(route, headOnly, keepAlive);
    }

    /// <summary>The admin listener: metrics and JSON views of the node, no media.</summary>
    private RequestOutcome RespondAdmin(string path, bool keepAlive, bool headOnly)
    {
        switch (path)
        {
            case "/metrics" when _node is not null:
                return WriteBody(Metrics.NodeMetrics.Render(_node), Metrics.PrometheusWriter.ContentType, keepAlive, headOnly);
            case "/" or "/api/streams":
                return WriteJson(StreamsApi.Render(_context.Streams, withClientAddresses: true), keepAlive, headOnly);
            case "/api/status" when _node is not null:
                return WriteJson(StatusApi.Render(NodeStatus.Capture(_node)), keepAlive, headOnly);
            case "/api/routes" when _node is not null:
                return WriteJson(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
                    new Appliance.Control.Contract.ControlReply { Ok = true, Routes = _node.Routes() },
                    Appliance.Control.Contract.ControlJsonContext.Default.ControlReply), keepAlive, headOnly);
            default:
                WriteText(404, "not found\n", keepAlive, headOnly);
                return Next(keepAlive);
        }
    }

    /// <summary>The command API answers for itself: its methods, its token, the bodies it refuses.</summary>
    private RequestOutcome RespondAdminApi(bool keepAlive, bool headOnly)
    {
        HeadBuffer.ResetWrittenCount();
        (_lastStatus, keepAlive) = AdminApi.Respond(_node, Request, Client, HeadBuffer, keepAlive, headOnly);
        Writer.Send(HeadBuffer.WrittenSpan);
        return Next(keepAlive);
    }

    /// <summary>
    /// Finds the stream a path names, also around a path-form token (checked later by the app's
    /// scheme). An HMAC element comes out first, wherever it is: left in, "/live/{element}/cam.flv"
    /// would read as a segment of a stream named after the token.
    /// </summary>
    private bool TryRoute(string path, string? host, out Route route)
    {
        route = default;
        string realPath;
        if (AuthPathPrefix.TryStripTokenElement(path, out realPath))
        {
            if (!TryResolve(realPath, host, out route))
            {
                return false;
            }
        }
        else if (!TryResolve(realPath = path, host, out route) &&
            !(AuthPathPrefix.TryStrip(path, out realPath) && TryResolve(realPath, host, out route)))
        {
            return false;
        }
        route = route with { RealPath = realPath };
        return route.File is not null || route.Extension is "m3u8" or "flv" or "ts" or "mpd" or "html";
    }

    private bool TryResolve(string path, string? host, out Route route)
    {
        route = default;
        if (!StreamUrl.TryParse(path, out var app, out var name, out var extension, out var file) ||
            !_context.Domains.TryResolve(host, app, out var domain, out var appConfig))
        {
            return false;
        }
        if (name.Length == 0 || name.Length > appConfig.MaxStreamNameLength)
        {
            // The same bound RTMP applies: no stream can have such a name.
            return false;
        }
        route = new Route(new StreamKey(domain.Name, appConfig.Name, name), appConfig, extension, file, path);
        return true;
    }

    private RequestOutcome Serve(in Route route, bool headOnly, bool keepAlive, string? sessionToken)
    {
        _routeApp = route.App;
        if (IsGroupIndex(route))
        {
            IdentifyHlsPlayer(route.App);
            return ServeGroupHls(route, headOnly, keepAlive, sessionToken);
        }
        CmafName cmaf = default;
        var isCmaf = route.File is not null && CmafName.TryParse(route.File, out cmaf);
        if ((isCmaf || route.Extension == "mpd") && EncryptsHls(route))
        {
            return RefuseClearCmaf(route, headOnly, keepAlive);
        }
        if (isCmaf)
        {
            IdentifyHlsPlayer(route.App);
            return ServeCmaf(route, cmaf, headOnly, keepAlive, sessionToken);
        }
        if (route.Extension == "mpd")
        {
            IdentifyHlsPlayer(route.App);
            return ServeDash(route, headOnly, keepAlive, sessionToken);
        }
        if (route.File is not null || route.Extension == "m3u8")
        {
            IdentifyHlsPlayer(route.App);
        }
        if (route.File is not null && HlsKeyring.TryParseKeyFile(route.File, out var keyIndex))
        {
            return ServeHlsKey(route, keyIndex, headOnly, keepAlive);
        }
        if (route.File is not null)
        {
            return ServeHlsSegment(route.Key, route.File, headOnly, keepAlive);
        }
        return route.Extension switch
        {
            "m3u8" => ServeHlsPlaylist(route.Key, headOnly, keepAlive, sessionToken),
            "flv" => ServeFlv(route.Key, headOnly, keepAlive),
            _ => ServeTs(route.Key, headOnly, keepAlive),
        };
    }

    private static RequestOutcome Next(bool keepAlive) => keepAlive ? RequestOutcome.KeepAlive : RequestOutcome.Close;

    private RequestOutcome ServeFlv(StreamKey key, bool headOnly, bool keepAlive) =>
        ServeLive(key, WireFormat.Flv, "video/x-flv", "http-flv", headOnly, keepAlive);

    private RequestOutcome ServeTs(StreamKey key, bool headOnly, bool keepAlive) =>
        ServeLive(key, WireFormat.Ts, "video/mp2t", "http-ts", headOnly, keepAlive);

    /// <summary>
    /// A live HTTP stream (FLV or TS): the response has no length, runs until the stream ends,
    /// and then the connection closes; the connection becomes the stream's viewer.
    /// </summary>
    private RequestOutcome ServeLive(StreamKey key, WireFormat format, string contentType, string protocol, bool headOnly, bool keepAlive)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            _deferred = ServeLiveWhenPulledAsync(relay, key, Request.Query, format, contentType, protocol, headOnly, keepAlive);
            return RequestOutcome.Deferred;
        }
        return ServeLive(stream, key, format, contentType, protocol, headOnly, keepAlive);
    }

    private async Task<RequestOutcome> ServeLiveWhenPulledAsync(Relay.RelayManager relay, StreamKey key, string? query, WireFormat format, string contentType, string protocol, bool headOnly, bool keepAlive)
    {
        var stream = await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false);
        return ServeLive(stream, key, format, contentType, protocol, headOnly, keepAlive);
    }

    private RequestOutcome ServeLive(LiveStream? stream, StreamKey key, WireFormat format, string contentType, string protocol, bool headOnly, bool keepAlive)
    {
        if (stream is null)
        {
            WriteText(404, "stream not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (stream.IsFull)
        {
            LiveLog.Rejected(_context.Logger, "http", Client, $"stream {key} has its maximum of {stream.App.MaxViewersPerStream} viewers");
            WriteText(503, "stream full\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        HeadBuffer.ResetWrittenCount();
        // For a node pulling the stream over HTTP-FLV, its 64-bit media time (ParentMediaTime).
        var mediaTimeMs = format == WireFormat.Flv ? stream.MediaTimeMs : -1;
        HttpResponseWriter.WriteHead(HeadBuffer, 200, contentType, null, keepAlive: false,
            extraHeaders: mediaTimeMs >= 0 ? [NoStore[0], new(Relay.Pull.ParentMediaTime.HttpHeader, mediaTimeMs.ToString(CultureInfo.InvariantCulture))] : NoStore);
        _lastStatus = 200;
        if (headOnly)
        {
            Writer.Send(HeadBuffer.WrittenSpan);
            return RequestOutcome.Close;
        }
        if (format == WireFormat.Flv)
        {
            Span<byte> fileHeader = stackalloc byte[FlvWriter.FileHeaderLength];
            FlvWriter.WriteFileHeader(fileHeader, stream.HasAudio || !stream.HasVideo, stream.HasVideo || !stream.HasAudio);
            HeadBuffer.Write(fileHeader);
        }
        else
        {
            stream.EnsureTsPackaging();
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        var subscription = stream.Subscribe(Writer, format, relay: Relay.Urls.Via.IsRelayRequest(Request.Query), browser: BrowserAgent.Is(Request.GetHeader("User-Agent")));
        if (subscription is null)
        {
            return RequestOutcome.Close;
        }
        subscription.Ended = static s => s.Writer.CloseAfterFlush("stream ended");
        _protocol = protocol;
        AnnounceStart(Config.WebhookEventNames.Play, key, Request.Query);
        return RequestOutcome.Streaming;
    }

    private RequestOutcome WriteJson(byte[] body, bool keepAlive, bool headOnly) =>
        WriteBody(body, "application/json", keepAlive, headOnly);

    private RequestOutcome WriteBody(byte[] body, string contentType, bool keepAlive, bool headOnly)
    {
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, contentType, body.Length, keepAlive, extraHeaders: NoStore);
        if (!headOnly)
        {
            HeadBuffer.Write(body);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = 200;
        return Next(keepAlive);
    }

    /// <summary>A request routed to a stream: what it asks for, and the path behind any token prefix.</summary>
    private readonly record struct Route(StreamKey Key, AppConfig App, string Extension, string? File, string RealPath);
}
