using Appliance.Codecs.Amf0;
using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Ingest;

/// <summary>Something in an RTMP or FLV media message that no stream can take (bad AMF0, a truncated aggregate).</summary>
public sealed class MediaFormatException(string message) : Exception(message);

/// <summary>
/// Turns RTMP messages or FLV tags (audio 8, video 9, data 18/15, aggregate 22) into frames of a
/// stream: header classification, 64-bit timestamps, @setDataFrame unwrapping, aggregates. One per
/// source connection (a publisher here, or one upstream attempt of a pull), so each has its own clocks.
/// </summary>
public sealed class MediaIngest(LiveStream stream, IStreamSource source, ILogger logger) : IMediaMessageSink
{
    private const byte Audio = 8;
    private const byte Video = 9;
    private const byte DataAmf3 = 15;
    private const byte DataAmf0 = 18;
    private const byte Aggregate = 22;

    // One clock for audio and video: with one per track, a source that starts just before RTMP's
    // 32-bit wrap could put one track's first frame in the next epoch and the other's in this one.
    private TimestampExtender _clock;

    // A broken encoder breaks every frame alike: one line per kind, then a count (RepeatedLog).
    private RepeatedLog? _unreadableVideo;
    private RepeatedLog? _unreadableAudio;

    /// <summary>
    /// The source's 32-bit stamps belong near <paramref name="mediaTimeMs"/> (a parent node's 64-bit
    /// media time, which it sends when a pull opens): set before the first message, it numbers
    /// segments as the parent does after RTMP's 2^32 ms wrap.
    /// </summary>
    public void StartNear(long mediaTimeMs) => _clock.StartNear(mediaTimeMs);

    /// <summary>Takes over <paramref name="payload"/>'s reference. Throws <see cref="MediaFormatException"/> on malformed data.</summary>
    public void Accept(byte typeId, uint timestamp, SharedBuffer payload)
    {
        switch (typeId)
        {
            case Audio:
            case Video:
                Ingest((FrameKind)typeId, timestamp, payload);
                return;
            case DataAmf0:
                try
                {
                    IngestData(timestamp, payload.Span);
                }
                finally
                {
                    payload.Release();
                }
                return;
            case DataAmf3:
                try
                {
                    if (payload.Length > 0)
                    {
                        IngestData(timestamp, payload.Span[1..]);
                    }
                }
                finally
                {
                    payload.Release();
                }
                return;
            case Aggregate:
                try
                {
                    IngestAggregate(timestamp, payload.Span);
                }
                finally
                {
                    payload.Release();
                }
                return;
            default:
                payload.Release();
                return;
        }
    }

    /// <summary>Takes over <paramref name="payload"/>'s reference.</summary>
    private void Ingest(FrameKind kind, uint timestamp, SharedBuffer payload)
    {
        var flags = FrameFlags.None;
        var ok = kind switch
        {
            FrameKind.Video => FrameClassifier.TryClassifyVideo(payload.Span, stream.Stats, out flags),
            FrameKind.Audio => FrameClassifier.TryClassifyAudio(payload.Span, stream.Stats, out flags),
            _ => true,
        };
        if (!ok)
        {
            var log = kind == FrameKind.Video ? _unreadableVideo ??= Unreadable("video") : _unreadableAudio ??= Unreadable("audio");
            if (log.ShouldLog())
            {
                StreamLog.FrameDropped(logger, stream.Key.ToString(), $"{kind} tag with an unreadable header ({payload.Length} bytes)");
            }
            payload.Release();
            return;
        }
        var extended = (flags & FrameFlags.SequenceHeader) != 0 ? _clock.Peek(timestamp) : _clock.Extend(timestamp);
        stream.Publish(source, MediaFrame.Create(kind, extended, flags, payload));
    }

    private RepeatedLog Unreadable(string track) =>
        new(logger, LogLevel.Warning, $"stream {stream.Key}", $"{track} tags with an unreadable header dropped");

    private void IngestData(uint timestamp, ReadOnlySpan<byte> payload)
    {
        var offset = 0;
        Amf0Value first;
        try
        {
            first = Amf0Reader.ReadValue(payload, ref offset);
        }
        catch (Amf0FormatException ex)
        {
            throw new MediaFormatException($"bad AMF0 in data message: {ex.Message}");
        }
        if (first.Kind != Amf0Kind.String)
        {
            return;
        }
        var body = first.String == "@setDataFrame" ? payload[offset..] : payload;
        var name = first.String == "@setDataFrame" ? PeekString(body) : first.String;
        var flags = name == "onMetaData" ? FrameFlags.Metadata : FrameFlags.None;
        var buffer = SharedBuffer.CopyOf(body);
        stream.Publish(source, MediaFrame.Create(FrameKind.Script, _clock.Peek(timestamp), flags, buffer));
    }

    private static string? PeekString(ReadOnlySpan<byte> payload)
    {
        var offset = 0;
        try
        {
            var value = Amf0Reader.ReadValue(payload, ref offset);
            return value.Kind == Amf0Kind.String ? value.String : null;
        }
        catch (Amf0FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// An aggregate message is a run of FLV tags; their timestamps are relative to the first, which
    /// the message's own timestamp replaces.
    /// </summary>
    private void IngestAggregate(uint timestamp, ReadOnlySpan<byte> payload)
    {
        long? firstTag = null;
        while (payload.Length >= FlvTagHeader.Length)
        {
            var tag = FlvTagHeader.Read(payload);
            if (payload.Length < FlvTagHeader.Length + tag.DataSize)
            {
                throw new MediaFormatException("aggregate message truncated");
            }
            firstTag ??= tag.Timestamp;
            var at = unchecked(timestamp + (uint)(tag.Timestamp - firstTag.Value));
            var body = payload.Slice(FlvTagHeader.Length, tag.DataSize);
            // The whole type byte, as RTMP message type ids: a tag with reserved or Filter bits set is skipped.
            switch (tag.TypeByte)
            {
                case Audio:
                case Video:
                    Ingest((FrameKind)tag.TypeByte, at, SharedBuffer.CopyOf(body));
                    break;
                case DataAmf0:
                    IngestData(at, body);
                    break;
            }
            var next = FlvTagHeader.Length + tag.DataSize + FlvWriter.TagTrailerLength;
            payload = payload.Length >= next ? payload[next..] : [];
        }
    }
}
