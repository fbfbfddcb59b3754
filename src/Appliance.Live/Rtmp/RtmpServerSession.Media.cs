using Appliance.Codecs.Amf0;
using Appliance.Core.Buffers;
using Appliance.Live.Logging;
using Appliance.Live.Media;
using Appliance.Live.Streams;
using Appliance.Protocols.Rtmp;

namespace Appliance.Live.Rtmp;

public sealed partial class RtmpServerSession
{
    private RtmpPublisher? _publisher;
    private LiveStream? _publishStream;
    private TimestampExtender _audioClock;
    private TimestampExtender _videoClock;
    private TimestampExtender _dataClock;

    private string? HandleMedia(in RtmpMessage message)
    {
        if (_publisher is null || _publishStream is null)
        {
            // Media before publish (or from a player) is not ours to keep.
            LiveLog.Ignored(_context.Logger, Client, $"media message type {message.TypeId} outside publish");
            return null;
        }
        switch (message.TypeId)
        {
            case RtmpMessageType.Audio:
            case RtmpMessageType.Video:
                Ingest((FrameKind)message.TypeId, message.Timestamp, message.Payload.AddRef());
                return null;
            case RtmpMessageType.DataAmf0:
                IngestData(message.Timestamp, message.Payload.Span);
                return null;
            case RtmpMessageType.DataAmf3:
                if (message.Payload.Length > 0)
                {
                    IngestData(message.Timestamp, message.Payload.Span[1..]);
                }
                return null;
            case RtmpMessageType.Aggregate:
                IngestAggregate(message.Timestamp, message.Payload.Span);
                return null;
        }
        return null;
    }

    /// <summary>Takes over <paramref name="payload"/>'s reference.</summary>
    private void Ingest(FrameKind kind, uint timestamp, SharedBuffer payload)
    {
        var stream = _publishStream!;
        var flags = FrameFlags.None;
        var ok = kind switch
        {
            FrameKind.Video => FrameClassifier.TryClassifyVideo(payload.Span, stream.Stats, out flags),
            FrameKind.Audio => FrameClassifier.TryClassifyAudio(payload.Span, stream.Stats, out flags),
            _ => true,
        };
        if (!ok)
        {
            LiveLog.FrameDropped(_context.Logger, stream.Key.ToString(), $"{kind} tag with an unreadable header ({payload.Length} bytes)");
            payload.Release();
            return;
        }
        var extended = kind switch
        {
            FrameKind.Video => _videoClock.Extend(timestamp),
            FrameKind.Audio => _audioClock.Extend(timestamp),
            _ => _dataClock.Extend(timestamp),
        };
        stream.Publish(_publisher!, MediaFrame.Create(kind, extended, flags, payload));
    }

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
            throw new RtmpProtocolException($"bad AMF0 in data message: {ex.Message}");
        }
        if (first.Kind != Amf0Kind.String)
        {
            return;
        }
        var body = first.String == "@setDataFrame" ? payload[offset..] : payload;
        var name = first.String == "@setDataFrame" ? PeekString(body) : first.String;
        var flags = name == "onMetaData" ? FrameFlags.Metadata : FrameFlags.None;
        var buffer = SharedBuffer.CopyOf(body);
        var stream = _publishStream!;
        stream.Publish(_publisher!, MediaFrame.Create(FrameKind.Script, _dataClock.Extend(timestamp), flags, buffer));
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
        while (payload.Length >= 11)
        {
            var type = payload[0];
            var size = (payload[1] << 16) | (payload[2] << 8) | payload[3];
            var tagTime = (uint)((payload[7] << 24) | (payload[4] << 16) | (payload[5] << 8) | payload[6]);
            if (payload.Length < 11 + size)
            {
                throw new RtmpProtocolException("aggregate message truncated");
            }
            firstTag ??= tagTime;
            var at = unchecked(timestamp + (uint)(tagTime - firstTag.Value));
            var body = payload.Slice(11, size);
            switch (type)
            {
                case RtmpMessageType.Audio:
                case RtmpMessageType.Video:
                    Ingest((FrameKind)type, at, SharedBuffer.CopyOf(body));
                    break;
                case RtmpMessageType.DataAmf0:
                    IngestData(at, body);
                    break;
            }
            var next = 11 + size + 4;
            payload = payload.Length >= next ? payload[next..] : [];
        }
    }

    private void EndPublishing(string reason)
    {
        var publisher = _publisher;
        var stream = _publishStream;
        if (publisher is null || stream is null)
        {
            return;
        }
        _publisher = null;
        _publishStream = null;
        stream.DetachSource(publisher);
        LiveLog.PublishStop(_context.Logger, stream.Key.ToString(), Client, reason);
    }
}
