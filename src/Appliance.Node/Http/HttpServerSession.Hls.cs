using System.Globalization;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Http;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    private const string PlaylistType = "application/vnd.apple.mpegurl";

    private static readonly KeyValuePair<string, string> AcceptRanges = new("Accept-Ranges", "bytes");

    private static readonly KeyValuePair<string, string>[] WholeSegment =
        [new("Cache-Control", "public, max-age=86400, immutable"), AcceptRanges];

    /// <summary>GET /{app}/{stream}.m3u8: the live playlist, from memory; the first request starts packaging.</summary>
    private RequestOutcome ServeHlsPlaylist(StreamKey key, bool headOnly, bool keepAlive, string? sessionToken)
    {
        var stream = _context.Streams.FindForHls(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            _deferred = ServeHlsWhenPulledAsync(relay, key, Request.Query, headOnly, keepAlive, sessionToken);
            return RequestOutcome.Deferred;
        }
        return ServeHlsPlaylist(stream, headOnly, keepAlive, sessionToken);
    }

    private async Task<RequestOutcome> ServeHlsWhenPulledAsync(Relay.RelayManager relay, StreamKey key, string? query, bool headOnly, bool keepAlive, string? sessionToken)
    {
        var stream = await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false);
        var outcome = ServeHlsPlaylist(stream, headOnly, keepAlive, sessionToken);
        if (outcome == RequestOutcome.Deferred && _deferred is { } inner)
        {
            outcome = await inner.ConfigureAwait(false);
        }
        return outcome;
    }

    private RequestOutcome ServeHlsPlaylist(LiveStream? stream, bool headOnly, bool keepAlive, string? sessionToken)
    {
        if (stream is null || !stream.App.Hls.Enabled)
        {
            WriteText(404, "stream not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        // Before packaging starts: a player refused here is no HLS demand.
        if (!AdmitHlsViewer(stream, headOnly, keepAlive))
        {
            return Next(keepAlive);
        }
        var window = stream.RequestHls();
        if (window is null)
        {
            WriteText(404, "stream not found\n", keepAlive, headOnly);
            _hlsViewer?.AddResponse(404, HeadBuffer.WrittenCount);
            return Next(keepAlive);
        }
        PassOnGroupDemand(stream, Streaming.Renditions.RenditionPackaging.Hls);
        if (window.IsReady)
        {
            WritePlaylist(window, stream, headOnly, keepAlive, sessionToken);
            return Next(keepAlive);
        }
        // Packaging just started on a young stream: answer when the playlist lists enough segments
        // for a player to start with a buffer (bounded; then whatever exists is served).
        var waitMs = stream.App.Hls.TargetDurationMs * (stream.App.Hls.MinSegments + 2) + 2000;
        _deferred = WaitForPlaylistAsync(window, stream, waitMs, headOnly, keepAlive, sessionToken);
        return RequestOutcome.Deferred;
    }

    private async Task<RequestOutcome> WaitForPlaylistAsync(SegmentWindow window, LiveStream stream, int waitMs, bool headOnly, bool keepAlive, string? sessionToken)
    {
        await Task.WhenAny(window.Ready, Task.Delay(waitMs)).ConfigureAwait(false);
        if (!window.HasPlaylist && !window.Ended)
        {
            WriteText(404, "no segment yet\n", keepAlive, headOnly);
            _hlsViewer?.AddResponse(404, HeadBuffer.WrittenCount);
            return Next(keepAlive);
        }
        WritePlaylist(window, stream, headOnly, keepAlive, sessionToken);
        return Next(keepAlive);
    }

    private void WritePlaylist(SegmentWindow window, LiveStream stream, bool headOnly, bool keepAlive, string? sessionToken)
    {
        var playlist = sessionToken is null
            ? window.Playlist
            : HlsPlaylistWriter.WithQuery(window.Playlist, $"{Auth.HlsSessionToken.ParameterName}={sessionToken}");
        // About half a segment: players polling at the target duration always see a fresh list.
        var maxAge = window.Ended ? 60 : stream.App.Hls.TargetDurationMs / 2000;
        KeyValuePair<string, string>[] caching = [new("Cache-Control", maxAge > 0 ? $"max-age={maxAge}" : "no-cache")];
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, PlaylistType, playlist.Length, keepAlive, extraHeaders: caching);
        if (!headOnly)
        {
            System.Buffers.BuffersExtensions.Write(HeadBuffer, playlist);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(200, HeadBuffer.WrittenCount);
        _lastStatus = 200;
    }

    /// <summary>
    /// GET /{app}/{stream}/{sequence}.ts: one immutable segment, pinned without a lock, sent with
    /// sendfile; a single byte range of it is sent the same way (206), from its offset.
    /// </summary>
    private RequestOutcome ServeHlsSegment(StreamKey key, string file, bool headOnly, bool keepAlive)
    {
        var stream = _context.Streams.FindForHls(key);
        var window = stream?.HlsWindow;
        if (window is null || !file.EndsWith(".ts", StringComparison.Ordinal) ||
            !long.TryParse(file.AsSpan(0, file.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ||
            !window.TryPin(sequence, out var segment))
        {
            WriteText(404, "segment not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (!AdmitHlsViewer(stream!, headOnly, keepAlive))
        {
            segment.File.Release();
            return Next(keepAlive);
        }
        var length = segment.File.Length;
        var outcome = SegmentRange(length, out var range);
        HeadBuffer.ResetWrittenCount();
        if (outcome == ByteRangeOutcome.Unsatisfiable)
        {
            segment.File.Release();
            KeyValuePair<string, string>[] unsatisfiable = [AcceptRanges, new("Content-Range", $"bytes */{length}")];
            var body = "range not satisfiable\n"u8;
            HttpResponseWriter.WriteHead(HeadBuffer, 416, "text/plain; charset=utf-8", body.Length, keepAlive, extraHeaders: unsatisfiable);
            if (!headOnly)
            {
                System.Buffers.BuffersExtensions.Write(HeadBuffer, body);
            }
            Writer.Send(HeadBuffer.WrittenSpan);
            _hlsViewer?.AddResponse(416, HeadBuffer.WrittenCount);
            _lastStatus = 416;
            return Next(keepAlive);
        }
        var status = 200;
        var headers = WholeSegment;
        if (outcome == ByteRangeOutcome.Satisfiable)
        {
            status = 206;
            headers = [.. WholeSegment, new("Content-Range", $"bytes {range.First}-{range.Last}/{length}")];
        }
        else
        {
            range = new ByteRange(0, length - 1);
        }
        HttpResponseWriter.WriteHead(HeadBuffer, status, "video/mp2t", range.Length, keepAlive, extraHeaders: headers);
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(status, HeadBuffer.WrittenCount + (headOnly ? 0 : range.Length));
        if (headOnly || range.Length == 0)
        {
            segment.File.Release();
        }
        else
        {
            Writer.SendFile(segment.File, range.First, range.Length);
        }
        _lastStatus = status;
        return Next(keepAlive);
    }

    /// <summary>
    /// The Range the request asks of a segment. If-Range is a condition on a validator, and segments
    /// are served without one, so no If-Range can match: the range is then ignored (RFC 9110 §13.1.5).
    /// </summary>
    private ByteRangeOutcome SegmentRange(long length, out ByteRange range)
    {
        range = default;
        if (Request.GetHeader("If-Range") is not null)
        {
            return ByteRangeOutcome.Ignore;
        }
        return ByteRangeParser.Evaluate(Request.GetHeader("Range"), length, out range);
    }
}
