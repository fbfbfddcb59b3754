using Appliance.Protocols.Http;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

public sealed partial class HttpServerSession
{
    /// <summary>
    /// GET /{app}/{stream}/video-init-{id}.mp4, video-{N}.m4s, video-{N}.{k}.m4s (and audio): an
    /// immutable file of the packager, pinned without a lock; a file request never starts packaging.
    /// </summary>
    private RequestOutcome ServeCmafFile(StreamKey key, in CmafName name, bool headOnly, bool keepAlive)
    {
        var stream = _context.Streams.FindForHls(key);
        if (stream?.Cmaf is not { } packager)
        {
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        var status = packager.Find(name, out var resource);
        if (status == CmafFileStatus.NotYet)
        {
            _deferred = name.Kind == CmafFileKind.Part
                ? HoldPartAsync(packager, stream, name, headOnly, keepAlive)
                : StreamSegmentAsync(packager, stream, name, headOnly, keepAlive);
            return RequestOutcome.Deferred;
        }
        if (status != CmafFileStatus.Found)
        {
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (!AdmitHlsViewer(stream, headOnly, keepAlive))
        {
            resource.Release();
            return Next(keepAlive);
        }
        SendCmafResource(resource, headOnly, keepAlive);
        return Next(keepAlive);
    }

    /// <summary>
    /// Sends a found init, segment or part, taking over its reference: a file range with sendfile,
    /// a buffer (a part of the segment in progress) by reference; one byte range of either as
    /// HLS-TS segments answer it (206, or 416 past the end).
    /// </summary>
    private void SendCmafResource(CmafResource resource, bool headOnly, bool keepAlive)
    {
        var length = resource.Length;
        var outcome = SegmentRange(length, out var range);
        HeadBuffer.ResetWrittenCount();
        if (outcome == ByteRangeOutcome.Unsatisfiable)
        {
            resource.Release();
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
            return;
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
        HttpResponseWriter.WriteHead(HeadBuffer, status, resource.ContentType, range.Length, keepAlive, extraHeaders: headers);
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(status, HeadBuffer.WrittenCount + (headOnly ? 0 : range.Length));
        _lastStatus = status;
        if (headOnly || range.Length == 0)
        {
            resource.Release();
        }
        else if (resource.File is { } file)
        {
            Writer.SendFile(file, resource.Offset + range.First, range.Length);
        }
        else if (range.Length == length)
        {
            Writer.Send(resource.Buffer!);
        }
        else
        {
            // A range of a part still in memory: rare (players ask parts whole), so copied.
            Writer.Send(resource.Buffer!.Span.Slice((int)range.First, (int)range.Length));
            resource.Release();
        }
    }
}
