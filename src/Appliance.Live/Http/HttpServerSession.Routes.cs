using System.Buffers;
using Appliance.Codecs.Flv;
using Appliance.Live.Fanout;
using Appliance.Live.Logging;
using Appliance.Live.Media;
using Appliance.Live.Streams;
using Appliance.Protocols.Http;

namespace Appliance.Live.Http;

public sealed partial class HttpServerSession
{
    private static readonly KeyValuePair<string, string>[] NoStore = [new("Cache-Control", "no-cache, no-store")];
    private static readonly KeyValuePair<string, string>[] AllowedMethods = [new("Allow", "GET, HEAD, OPTIONS")];

    private RequestOutcome Respond()
    {
        var request = Request;
        var keepAlive = request.KeepAlive;
        var headOnly = request.Method == "HEAD";
        if (request.Method == "OPTIONS")
        {
            ResponseHead.ResetWrittenCount();
            HttpResponseWriter.WritePreflight(ResponseHead, keepAlive);
            Writer.Send(ResponseHead.WrittenSpan);
            _lastStatus = 204;
            return Next(keepAlive);
        }
        if (request.Method is not ("GET" or "HEAD"))
        {
            ResponseHead.ResetWrittenCount();
            HttpResponseWriter.WriteHead(ResponseHead, 405, "text/plain; charset=utf-8", 19, keepAlive: false, extraHeaders: AllowedMethods);
            ResponseHead.Write("method not allowed\n"u8);
            Writer.Send(ResponseHead.WrittenSpan);
            _lastStatus = 405;
            return RequestOutcome.Close;
        }
        if (request.ContentLength > 0 || request.IsChunked)
        {
            WriteText(400, "a GET request has no body\n", keepAlive: false, headOnly);
            return RequestOutcome.Close;
        }
        var path = request.Path;
        if (path is "/" or "/api/streams")
        {
            return WriteJson(StreamsApi.Render(_context.Streams), keepAlive, headOnly);
        }
        if (path == "/api/status")
        {
            return WriteJson(StatusApi.Render(_context), keepAlive, headOnly);
        }
        if (!TryParseStreamPath(path, out var app, out var name, out var extension, out var file))
        {
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (!_context.Domains.TryResolve(request.Host, app, out var domain, out var appConfig))
        {
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        var key = new StreamKey(domain.Name, appConfig.Name, name);
        _stream = key.ToString();
        if (file is not null)
        {
            return ServeHlsSegment(key, file, headOnly, keepAlive);
        }
        switch (extension)
        {
            case "m3u8":
                return ServeHlsPlaylist(key, headOnly, keepAlive);
            case "flv":
                return ServeFlv(key, headOnly, keepAlive);
            case "ts":
                return ServeTs(key, headOnly, keepAlive);
            default:
                WriteText(404, "not found\n", keepAlive, headOnly);
                return Next(keepAlive);
        }
    }

    private static RequestOutcome Next(bool keepAlive) => keepAlive ? RequestOutcome.KeepAlive : RequestOutcome.Close;

    private RequestOutcome ServeFlv(StreamKey key, bool headOnly, bool keepAlive)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (stream is null)
        {
            WriteText(404, "stream not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        ResponseHead.ResetWrittenCount();
        // Live FLV has no length: the body runs until the stream ends, and then the connection closes.
        HttpResponseWriter.WriteHead(ResponseHead, 200, "video/x-flv", null, keepAlive: false, extraHeaders: NoStore);
        _lastStatus = 200;
        if (headOnly)
        {
            Writer.Send(ResponseHead.WrittenSpan);
            return RequestOutcome.Close;
        }
        var hasAudio = stream.HasAudio || !stream.HasVideo;
        var hasVideo = stream.HasVideo || !stream.HasAudio;
        Span<byte> fileHeader = stackalloc byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(fileHeader, hasAudio, hasVideo);
        ResponseHead.Write(fileHeader);
        Writer.Send(ResponseHead.WrittenSpan);
        var subscription = stream.Subscribe(Writer, WireFormat.Flv);
        if (subscription is null)
        {
            return RequestOutcome.Close;
        }
        subscription.Ended = static s => s.Writer.CloseAfterFlush("stream ended");
        _protocol = "http-flv";
        return RequestOutcome.Streaming;
    }

    private RequestOutcome ServeTs(StreamKey key, bool headOnly, bool keepAlive)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (stream is null)
        {
            WriteText(404, "stream not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        ResponseHead.ResetWrittenCount();
        HttpResponseWriter.WriteHead(ResponseHead, 200, "video/mp2t", null, keepAlive: false, extraHeaders: NoStore);
        Writer.Send(ResponseHead.WrittenSpan);
        _lastStatus = 200;
        if (headOnly)
        {
            return RequestOutcome.Close;
        }
        stream.EnsureTsPackaging();
        var subscription = stream.Subscribe(Writer, WireFormat.Ts);
        if (subscription is null)
        {
            return RequestOutcome.Close;
        }
        subscription.Ended = static s => s.Writer.CloseAfterFlush("stream ended");
        _protocol = "http-ts";
        return RequestOutcome.Streaming;
    }

    private RequestOutcome WriteJson(byte[] body, bool keepAlive, bool headOnly)
    {
        ResponseHead.ResetWrittenCount();
        HttpResponseWriter.WriteHead(ResponseHead, 200, "application/json", body.Length, keepAlive, extraHeaders: NoStore);
        if (!headOnly)
        {
            ResponseHead.Write(body);
        }
        Writer.Send(ResponseHead.WrittenSpan);
        _lastStatus = 200;
        return Next(keepAlive);
    }

    /// <summary>"/{app}/{name}.{ext}" (a stream) or "/{app}/{name}/{file}" (a segment of it).</summary>
    private static bool TryParseStreamPath(string path, out string app, out string name, out string extension, out string? file)
    {
        app = name = extension = "";
        file = null;
        var span = path.AsSpan(1);
        var slash = span.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        app = span[..slash].ToString();
        var rest = span[(slash + 1)..];
        var second = rest.IndexOf('/');
        if (second >= 0)
        {
            var last = rest[(second + 1)..];
            if (second == 0 || last.IsEmpty || last.IndexOf('/') >= 0)
            {
                return false;
            }
            name = rest[..second].ToString();
            file = last.ToString();
            return true;
        }
        var dot = rest.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }
        name = rest[..dot].ToString();
        extension = rest[(dot + 1)..].ToString();
        return true;
    }
}
