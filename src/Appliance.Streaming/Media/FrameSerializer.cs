using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;
using Appliance.Protocols.Rtmp;

namespace Appliance.Streaming.Media;

/// <summary>
/// Turns a frame into one wire format. RTMP chunks always start with a type-0 header (absolute
/// timestamp), so the same bytes are valid for every player whatever it was sent before.
/// </summary>
public sealed class FrameSerializer
{
    public const int AudioChunkStream = 4;
    public const int ScriptChunkStream = 5;
    public const int VideoChunkStream = 6;

    /// <summary>Every play session uses message stream 1; createStream always answers 1.</summary>
    public const uint PlayStreamId = 1;

    public FrameSerializer(int rtmpChunkSize) => RtmpChunkSize = rtmpChunkSize;

    public int RtmpChunkSize { get; }

    public SharedBuffer Serialize(MediaFrame frame, WireFormat format)
    {
        var payload = frame.Payload.Span;
        var timestamp = unchecked((uint)frame.Timestamp);
        switch (format)
        {
            case WireFormat.Flv:
            {
                var buffer = SharedBuffer.Rent(FlvWriter.TagLength(payload.Length));
                buffer.Length = FlvWriter.WriteTag(buffer.FullSpan, (FlvTagType)frame.Kind, timestamp, payload);
                return buffer;
            }
            case WireFormat.Rtmp:
            {
                var chunkStream = ChunkStreamOf(frame.Kind);
                var buffer = SharedBuffer.Rent(RtmpChunkWriter.MaxLength(payload.Length, RtmpChunkSize, chunkStream));
                buffer.Length = RtmpChunkWriter.Write(buffer.FullSpan, chunkStream, timestamp, (byte)frame.Kind, PlayStreamId, payload, RtmpChunkSize);
                return buffer;
            }
            default:
                // TS is built by the stream's packager in order, never on demand.
                throw new ArgumentOutOfRangeException(nameof(format));
        }
    }

    public static int ChunkStreamOf(FrameKind kind) => kind switch
    {
        FrameKind.Audio => AudioChunkStream,
        FrameKind.Video => VideoChunkStream,
        _ => ScriptChunkStream,
    };
}
