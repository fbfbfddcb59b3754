using Appliance.Codecs.Flv;
using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// One stream's CMAF packaging, for fMP4 HLS, LL-HLS, DASH and LL-DASH from the same bytes: a
/// video track (H.264 or H.265, 90 kHz) and an AAC track (timescale = sample rate), each with its
/// own init, segments and parts. Frames come in publish order under the stream's lock, once
/// each (<see cref="OnFrame"/>); requests read the immutable <see cref="Snapshot"/> and pin files
/// without a lock (<see cref="Find"/>), and hold for parts to come (<see cref="WaitForPartAsync"/>).
/// </summary>
/// <remarks>
/// Segments are cut by the rule HLS-TS uses (<see cref="SegmentNumbering"/>), so segment N of
/// both holds the same media and every node numbers alike; the audio track cuts at its first frame
/// at or after the video's cut, so both tracks' segment N align; an audio-only stream cuts on its
/// audio frames. Parts follow <see cref="PartRule"/>. A republish, a timestamp jump or a new codec
/// configuration breaks the timeline: HLS discontinuity, new DASH Period, new init for a new
/// configuration. A failover that continues the timeline shows no break here at all.
/// </remarks>
public sealed partial class CmafPackager
{
    // A keyframe interval this many times the target is cut anyway, as HLS-TS does.
    private const int MaxSegmentTargets = 4;

    // Video cuts the audio track has not reached yet; an audio track that stopped keeps only these.
    private const int MaxQueuedCuts = 16;

    private readonly CmafOptions _options;
    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly TimeProvider _clock;
    private readonly SegmentNumbering _numbering;
    private readonly CmafTrack _video;
    private readonly CmafTrack _audio;
    private readonly Queue<(long Number, long StartMs)> _audioCuts = new();
    private readonly RepeatedLog _jumps;
    private readonly RepeatedLog _videoConfig;
    private readonly RepeatedLog _audioConfig;
    private readonly RepeatedLog _audioNumbering;
    private long _lastMs = long.MinValue;
    private long _targetMs;
    private long _wallClockAtZeroMs;
    private bool _newTimeline;
    private bool _newEpoch = true;
    private long _availabilityStartMs = -1;
    private long _epochEndMs;
    private CmafEpoch? _epoch;
    private bool _audioLeads;
    private bool _warnedCodec;

    internal CmafPackager(CmafOptions options, SegmentCache cache, ILogger logger, string stream, long nowTimestampMs, TimeProvider? clock = null)
    {
        _options = options;
        _logger = logger;
        _stream = stream;
        _clock = clock ?? TimeProvider.System;
        _targetMs = options.TargetMs;
        _numbering = new SegmentNumbering(options.TargetMs);
        _video = new CmafTrack(Fmp4TrackKind.Video, options.PartTargetMs, new CmafWindow(cache, options.WindowSegments, options.ExtraSegments));
        _audio = new CmafTrack(Fmp4TrackKind.Audio, options.PartTargetMs, new CmafWindow(cache, options.WindowSegments, options.ExtraSegments));
        _limit = new WaiterLimit(options.MaxHeldRequests);
        _videoWaiters = new PartWaiters(_limit);
        _audioWaiters = new PartWaiters(_limit);
        var subject = $"stream {stream}";
        _jumps = new RepeatedLog(logger, LogLevel.Information, subject, "CMAF timestamp jumps cut as discontinuities");
        _videoConfig = new RepeatedLog(logger, LogLevel.Warning, subject, "CMAF video sequence headers refused");
        _audioConfig = new RepeatedLog(logger, LogLevel.Warning, subject, "CMAF audio sequence headers refused");
        _audioNumbering = new RepeatedLog(logger, LogLevel.Information, subject, "CMAF audio segments renumbered after a gap in the audio");
        // The wall clock at media time 0, taking the newest frame as "now" (frames replayed from the
        // log are in the past); with no media yet, the first segment's start is "now" when it comes.
        _wallClockAtZeroMs = NowMs - nowTimestampMs;
        _newTimeline = nowTimestampMs < 0;
    }

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Takes one frame of the stream, in publish order (sequence headers included). Holds its own references.</summary>
    internal void OnFrame(MediaFrame frame, bool streamHasVideo)
    {
        if (_ended)
        {
            return;
        }
        if (frame.Kind == FrameKind.Video)
        {
            OnVideoTag(frame);
        }
        else if (frame.Kind == FrameKind.Audio)
        {
            OnAudioTag(frame, streamHasVideo);
        }
        PublishIfChanged();
    }

    /// <summary>The timeline breaks here (a new publisher): the next segments start a new epoch with a discontinuity.</summary>
    internal void Break()
    {
        if (_ended)
        {
            return;
        }
        BreakTimeline();
        PublishIfChanged();
    }

    private void OnVideoTag(MediaFrame frame)
    {
        var payload = frame.Payload.Span;
        if (!VideoTagInfo.TryParse(payload, out var info))
        {
            return;
        }
        if (info.Codec is not (VideoCodec.Avc or VideoCodec.Hevc))
        {
            WarnCodecOnce($"CMAF: video codec {info.Codec} is not packaged here; CMAF outputs get audio only");
            return;
        }
        var codec = info.Codec == VideoCodec.Hevc ? Fmp4Codec.Hevc : Fmp4Codec.Avc;
        if (info.Kind == VideoPacketKind.SequenceHeader)
        {
            Configure(_video, codec, payload[info.HeaderLength..], _videoConfig);
        }
        else if (info.Kind == VideoPacketKind.CodedFrames && _video.Init?.Track.Codec == codec)
        {
            OnVideo(frame, info.HeaderLength, info.CompositionTimeMs, info.IsKeyFrame);
        }
    }

    private void OnAudioTag(MediaFrame frame, bool streamHasVideo)
    {
        var payload = frame.Payload.Span;
        if (!AudioTagInfo.TryParse(payload, out var info))
        {
            return;
        }
        if (info.Format != SoundFormat.Aac)
        {
            WarnCodecOnce($"CMAF: audio format {info.Format} is not packaged here; CMAF outputs get video only");
            return;
        }
        if (info.IsSequenceHeader)
        {
            Configure(_audio, Fmp4Codec.Aac, payload[info.HeaderLength..], _audioConfig);
        }
        else if (_audio.Init is not null)
        {
            OnAudio(frame, info.HeaderLength, streamHasVideo);
        }
    }

    /// <summary>A sequence header: the same one again changes nothing; a new valid one breaks the timeline and gets its own init.</summary>
    private void Configure(CmafTrack track, Fmp4Codec codec, ReadOnlySpan<byte> record, RepeatedLog refusals)
    {
        if (track.Init is { } current && current.Track.Codec == codec && current.IsSameConfiguration(record))
        {
            return;
        }
        if (!CmafInit.TryCreate(codec, record, out var init, out var problem))
        {
            if (refusals.ShouldLog())
            {
                StreamLog.Packaging(_logger, _stream, $"CMAF: {CmafName.TrackName(track.Kind)} sequence header refused: {problem}; " +
                    (track.Init is null ? "the track is left out of CMAF until a valid one arrives" : "the previous one stays in use"));
            }
            return;
        }
        refusals.Flush();
        if (track.Init is not null)
        {
            // New codec configuration (a new resolution, say): players must reset their decoder.
            BreakTimeline();
        }
        track.Init = init;
        track.Window.KeepInits(init);
        _changed = true;
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
