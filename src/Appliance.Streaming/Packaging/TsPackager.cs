using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Packaging;

/// <summary>
/// Turns one stream's frames into MPEG-TS packets, in publish order, once for every HTTP-TS viewer
/// and every HLS segment. The packets are attached to the frame (its TS wire form); sequence
/// headers configure the muxer and carry no packets of their own. A frame the muxer refuses is
/// dropped from the TS outputs only, with a log line saying why: the first of a kind in full,
/// then a count per interval (<see cref="RepeatedLog"/>), since such faults repeat with every frame.
/// </summary>
internal sealed class TsPackager
{
    private readonly TsMuxer _muxer = new();
    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly string _subject;

    // A refused sequence header and the frames left out for want of a config are one fault.
    private readonly RepeatedLog _videoConfig;
    private readonly RepeatedLog _audioConfig;

    // Frames the muxer refuses for what they hold, one log per reason, made when first needed.
    private readonly RepeatedLog?[] _refused = new RepeatedLog?[Enum.GetValues<TsMuxStatus>().Length];
    private bool _warnedCodec;

    public TsPackager(ILogger logger, string stream)
    {
        _logger = logger;
        _stream = stream;
        _subject = $"stream {stream}";
        _videoConfig = new RepeatedLog(logger, LogLevel.Warning, _subject, "video frames left out of TS (no usable video sequence header)");
        _audioConfig = new RepeatedLog(logger, LogLevel.Warning, _subject, "audio frames left out of TS (no usable audio sequence header)");
    }

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

    /// <summary>The stream ended: counts of repeated faults not yet written are written now.</summary>
    public void FlushLogs()
    {
        _videoConfig.Flush();
        _audioConfig.Flush();
        foreach (var log in _refused)
        {
            log?.Flush();
        }
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
            ConfigOutcome(status, _videoConfig, "video", _muxer.VideoConfigProblem ?? status.ToString(), _muxer.HasVideo);
            return null;
        }
        if (info.Kind != VideoPacketKind.CodedFrames)
        {
            return null;
        }
        var size = _muxer.MaxVideoLength(body.Length);
        if (size == 0)
        {
            // Without a config every frame is refused; that is the config's fault, not the frame's.
            return _muxer.HasVideo ? Drop(TsMuxStatus.FrameTooLarge) : Unconfigured(_videoConfig, "video", _muxer.VideoConfigProblem);
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
            ConfigOutcome(status, _audioConfig, "audio", "the AudioSpecificConfig is malformed or cannot be carried in ADTS", _muxer.HasAudio);
            return null;
        }
        var size = _muxer.MaxAudioLength(body.Length);
        if (size == 0)
        {
            return _muxer.HasAudio ? Drop(TsMuxStatus.FrameTooLarge) : Unconfigured(_audioConfig, "audio", null);
        }
        var buffer = SharedBuffer.Rent(size);
        return Attach(frame, buffer, _muxer.WriteAudio(buffer.FullSpan, body, frame.Timestamp));
    }

    /// <summary>A valid config ends the fault (its count is written); a refused one is logged with what is wrong with it.</summary>
    private void ConfigOutcome(TsMuxStatus status, RepeatedLog log, string track, string problem, bool previousStays)
    {
        if (status == TsMuxStatus.Ok)
        {
            log.Flush();
            return;
        }
        if (log.ShouldLog())
        {
            StreamLog.SequenceHeaderRefused(_logger, _stream, track, problem,
                previousStays ? "the previous one stays in use" : "the track is left out of HTTP-TS and HLS until a valid one arrives");
        }
    }

    private SharedBuffer? Unconfigured(RepeatedLog log, string track, string? problem)
    {
        FramesDropped++;
        if (log.ShouldLog())
        {
            StreamLog.FrameDropped(_logger, _stream, problem is null
                ? $"TS: no {track} sequence header yet; {track} frames are left out of HTTP-TS and HLS until one arrives"
                : $"TS: no usable {track} sequence header ({problem})");
        }
        return null;
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
        var log = _refused[(int)status] ??= new RepeatedLog(_logger, LogLevel.Warning, _subject, $"frames not muxed into TS ({status})");
        if (log.ShouldLog())
        {
            StreamLog.FrameDropped(_logger, _stream, $"TS: frame not muxed: {status}");
        }
        return null;
    }

    private void WarnCodecOnce(string message)
    {
        if (!_warnedCodec)
        {
            _warnedCodec = true;
            StreamLog.FrameDropped(_logger, _stream, message);
        }
    }
}
