using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Live.Logging;
using Appliance.Live.Media;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Packaging;

/// <summary>
/// Turns one stream's frames into MPEG-TS packets, in publish order, once for every HTTP-TS viewer
/// and every HLS segment. The packets are attached to the frame (its TS wire form); sequence
/// headers configure the muxer and carry no packets of their own. A frame the muxer refuses is
/// dropped from the TS outputs only, with a log line saying why.
/// </summary>
internal sealed class TsPackager(ILogger logger, string stream)
{
    private readonly TsMuxer _muxer = new();
    private bool _warnedCodec;

    public long FramesPackaged { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>The packets made for <paramref name="frame"/>, attached to it; null when it has none.</summary>
    public SharedBuffer? Package(MediaFrame frame)
    {
        if (frame.HasTs)
        {
            return frame.PackagedTs;
        }
        return frame.Kind switch
        {
            FrameKind.Video => PackageVideo(frame),
            FrameKind.Audio => PackageAudio(frame),
            _ => null,
        };
    }

    private SharedBuffer? PackageVideo(MediaFrame frame)
    {
        var payload = frame.Payload.Span;
        if (!VideoTagInfo.TryParse(payload, out var info))
        {
            return null;
        }
        var body = payload[info.HeaderLength..];
        if (info.Codec is not (VideoCodec.Avc or VideoCodec.Hevc))
        {
            WarnCodecOnce($"video codec {info.Codec} cannot be carried in MPEG-TS here; TS outputs get audio only");
            return null;
        }
        if (info.Kind == VideoPacketKind.SequenceHeader)
        {
            var status = info.Codec == VideoCodec.Hevc ? _muxer.SetHevcConfig(body) : _muxer.SetAvcConfig(body);
            if (status != TsMuxStatus.Ok)
            {
                LiveLog.FrameDropped(logger, stream, $"TS: video sequence header refused: {status}");
            }
            return null;
        }
        if (info.Kind != VideoPacketKind.CodedFrames)
        {
            return null;
        }
        var size = _muxer.MaxVideoLength(body.Length);
        if (size == 0)
        {
            return Drop(TsMuxStatus.FrameTooLarge);
        }
        var buffer = SharedBuffer.Rent(size);
        return Attach(frame, buffer, _muxer.WriteVideo(buffer.FullSpan, body, frame.Timestamp, info.CompositionTimeMs, info.IsKeyFrame));
    }

    private SharedBuffer? PackageAudio(MediaFrame frame)
    {
        var payload = frame.Payload.Span;
        if (!AudioTagInfo.TryParse(payload, out var info) || info.Format != SoundFormat.Aac)
        {
            if (info.Format != SoundFormat.Aac)
            {
                WarnCodecOnce($"audio format {info.Format} cannot be carried in MPEG-TS here; TS outputs get video only");
            }
            return null;
        }
        var body = payload[info.HeaderLength..];
        if (info.IsSequenceHeader)
        {
            var status = _muxer.SetAacConfig(body);
            if (status != TsMuxStatus.Ok)
            {
                LiveLog.FrameDropped(logger, stream, $"TS: audio config refused: {status}");
            }
            return null;
        }
        var size = _muxer.MaxAudioLength(body.Length);
        if (size == 0)
        {
            return Drop(TsMuxStatus.FrameTooLarge);
        }
        var buffer = SharedBuffer.Rent(size);
        return Attach(frame, buffer, _muxer.WriteAudio(buffer.FullSpan, body, frame.Timestamp));
    }

    /// <summary>Attaches the packets the muxer wrote into <paramref name="buffer"/>, or drops the frame (and the buffer) with the muxer's reason.</summary>
    private SharedBuffer? Attach(MediaFrame frame, SharedBuffer buffer, TsMuxResult result)
    {
        if (!result.IsOk)
        {
            buffer.Release();
            return Drop(result.Status);
        }
        buffer.Length = result.BytesWritten;
        frame.AttachTs(buffer);
        FramesPackaged++;
        return buffer;
    }

    private SharedBuffer? Drop(TsMuxStatus status)
    {
        FramesDropped++;
        LiveLog.FrameDropped(logger, stream, $"TS: frame not muxed: {status}");
        return null;
    }

    private void WarnCodecOnce(string message)
    {
        if (!_warnedCodec)
        {
            _warnedCodec = true;
            LiveLog.FrameDropped(logger, stream, message);
        }
    }
}
