using Appliance.Codecs.Fmp4;
using Appliance.Protocols.Http;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

/// <summary>
/// LL-DASH chunked delivery: a request for the segment in progress (or the next one) is answered
/// with Transfer-Encoding: chunked, one chunk per part as it completes, and the last chunk when
/// the segment is complete. The bytes are the segment's (its parts back to back), so the body is
/// the segment a later request gets whole.
/// </summary>
public sealed partial class HttpServerSession
{
    private static readonly KeyValuePair<string, string>[] ChunkedSegment =
        [new("Cache-Control", "public, max-age=86400, immutable"), ChunkedEncoding.Header];

    private async Task<RequestOutcome> StreamSegmentAsync(CmafPackager packager, LiveStream stream, CmafName segment, bool headOnly, bool keepAlive)
    {
        if (!TryStartHold(packager, stream, segment.Track, headOnly, keepAlive, out var hold))
        {
            return Next(keepAlive);
        }
        using var _ = hold;
        long sent = 0;
        var part = 0;
        while (true)
        {
            var status = packager.Find(new CmafName(CmafFileKind.Part, segment.Track, Number: segment.Number, Part: part), out var resource);
            if (status == CmafFileStatus.NotYet)
            {
                // Each part within its own bound: a segment may run to several target durations.
                hold.Restart();
                var result = await packager.WaitForPartAsync(segment.Track, segment.Number, part, hold.Token).ConfigureAwait(false);
                if (result is CmafWaitResult.Available or CmafWaitResult.Ended)
                {
                    continue;
                }
                if (part == 0)
                {
                    return AnswerUnheld(result, packager, stream, hold, HeldAsk.File(segment), headOnly, keepAlive);
                }
                // The head is out and the body cannot be finished: ending the connection tells the player.
                LogHoldEnded(packager, hold, HeldAsk.File(segment with { Kind = CmafFileKind.Part, Part = part }),
                    ClientGone.IsCancellationRequested ? "the client left mid-segment" : "a part did not come in time mid-segment");
                return RequestOutcome.Close;
            }
            if (part == 0 && status != CmafFileStatus.Found)
            {
                WriteText(404, "not found\n", keepAlive, headOnly);
                return Next(keepAlive);
            }
            if (part == 0)
            {
                if (!AdmitHlsViewer(stream, headOnly, keepAlive))
                {
                    resource.Release();
                    return Next(keepAlive);
                }
                sent += SendChunkedHead(segment.Track, keepAlive);
                if (headOnly)
                {
                    // A HEAD has no body, so not even the last chunk.
                    resource.Release();
                    _hlsViewer?.AddResponse(200, sent);
                    return Next(keepAlive);
                }
            }
            if (status != CmafFileStatus.Found)
            {
                if (status != CmafFileStatus.PastEnd)
                {
                    // The segment left the window while it was being sent: nothing can end the body properly.
                    return RequestOutcome.Close;
                }
                Writer.Send(ChunkedEncoding.End);
                sent += ChunkedEncoding.End.Length;
                _hlsViewer?.AddResponse(200, sent);
                return Next(keepAlive);
            }
            sent += SendChunk(resource, first: part == 0);
            part++;
        }
    }

    private long SendChunkedHead(Fmp4TrackKind track, bool keepAlive)
    {
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, track == Fmp4TrackKind.Video ? "video/mp4" : "audio/mp4", null, keepAlive, extraHeaders: ChunkedSegment);
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = 200;
        return HeadBuffer.WrittenCount;
    }

    /// <summary>One part as one chunk, taking over its reference; the bytes sent.</summary>
    private long SendChunk(CmafResource resource, bool first)
    {
        Span<byte> separator = stackalloc byte[ChunkedEncoding.MaxSeparatorLength];
        var length = ChunkedEncoding.WriteSeparator(separator, resource.Length, first);
        Writer.Send(separator[..length]);
        if (resource.File is { } file)
        {
            Writer.SendFile(file, resource.Offset, resource.Length);
        }
        else
        {
            Writer.Send(resource.Buffer!);
        }
        return length + resource.Length;
    }
}
