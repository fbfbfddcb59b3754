using System.Buffers;
using System.IO.Pipelines;
using Appliance.Codecs.Flv;
using Appliance.Protocols.Http;

namespace Appliance.Load.Viewers;

/// <summary>
/// Reads an HTTP-FLV body tag by tag and tells the viewer's stats about each. A chunked body is
/// decoded into a small pipe first; a plain one (what a live server sends) is read in place.
/// </summary>
internal sealed class FlvTagCounter : ILiveBody
{
    private static readonly PipeOptions DecodedOptions = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private readonly FlvStreamReader _flv = new();
    private readonly ChunkedBodyDecoder? _chunked;
    private readonly Pipe? _decoded;

    public FlvTagCounter(bool chunked)
    {
        if (chunked)
        {
            _chunked = new ChunkedBodyDecoder();
            _decoded = new Pipe(DecodedOptions);
        }
    }

    /// <summary>Consumes what <paramref name="reader"/> holds; true once a chunked body has ended.</summary>
    public bool Consume(ref SequenceReader<byte> reader, ViewerStats stats)
    {
        if (_chunked is null)
        {
            ReadTags(ref reader, stats);
            return false;
        }
        _chunked.TryRead(ref reader, _decoded!.Writer, out var finished);
        // Nothing pauses this pipe, so the flush completes at once.
        _decoded.Writer.FlushAsync().GetAwaiter().GetResult();
        if (_decoded.Reader.TryRead(out var result))
        {
            var decoded = new SequenceReader<byte>(result.Buffer);
            ReadTags(ref decoded, stats);
            _decoded.Reader.AdvanceTo(decoded.Position, result.Buffer.End);
        }
        return finished;
    }

    private void ReadTags(ref SequenceReader<byte> reader, ViewerStats stats)
    {
        while (_flv.TryReadTag(ref reader, out var tag))
        {
            var keyFrame = false;
            var videoFrame = tag.Type == FlvTagType.Video && VideoFrameCheck.IsCodedFrame(tag.Payload.Span, out keyFrame);
            if (videoFrame)
            {
                stats.Latency?.OnFrame(tag.Payload.Span);
            }
            tag.Payload.Release();
            stats.OnMedia(videoFrame, keyFrame);
        }
    }
}
