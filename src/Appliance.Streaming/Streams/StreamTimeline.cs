using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Streams;

/// <summary>
/// How a stream's timeline goes on when its source changes. A source that relays another node's
/// copy (a pull that moved to another parent, a push forwarded again) usually carries the very
/// same timestamps: then the timeline simply continues, the frames viewers already have are
/// dropped, and HLS sees no break. Anything else starts a new timeline, moved to just after the
/// last frame viewers saw, and HLS gets a discontinuity. Not thread-safe: the stream calls it
/// under its lock.
/// </summary>
/// <remarks>
/// Only audio and video frames say where a source is in time. Metadata and sequence headers do
/// not: a parent sends its stored ones, stamped whenever the encoder first sent them (often 0),
/// ahead of its GOP cache. So a new source's headers are held until its first media frame has
/// decided the timeline, and headers and script data are stamped at the stream's current media
/// time: judging by them moved old streams by their whole age at every failover.
/// </remarks>
internal sealed class StreamTimeline(ITimelineSink sink, string stream, ILogger logger)
{
    // A relayed source whose first frame lands this close to where viewers are is taken to be the
    // same timeline: a parent's GOP cache reaches back a few seconds at most.
    private const long SameTimelineWindowMs = 10_000;

    // Headers and script data a new source may send before its first media frame; beyond this the
    // oldest is dropped (an encoder sends three).
    private const int MaxHeldFrames = 8;

    private readonly List<MediaFrame> _held = [];
    private bool _rebasePending;
    private bool _mayContinue;
    private bool _newEncodes;
    private long _offset;

    // The newest audio or video timestamp viewers were given (headers and script data excluded).
    private long _lastTimestamp = -1;
    private bool _joiningVideo;
    private bool _joiningAudio;
    private bool _videoOverlapSeen;

    // The continuing source encodes on its own (a restarted transcoder): its frames after the
    // overlap reference frames viewers never got, so video resumes at its next keyframe.
    private bool _resumeAtKeyFrame;
    private long _lastVideoTimestamp = -1;
    private long _lastAudioTimestamp = -1;

    /// <summary>How many times the stream's source changed without a break in its timeline.</summary>
    public long SeamlessSourceChanges { get; private set; }

    /// <summary>The newest audio or video timestamp viewers were given, or -1.</summary>
    public long LastTimestamp => _lastTimestamp;

    /// <summary>
    /// Takes a frame of the stream's source: places it on the timeline and hands it to the stream,
    /// holds it (a new source's header before its first media frame), or drops and releases it (what
    /// viewers already have from a continuing source). Takes over the caller's reference.
    /// </summary>
    public void Offer(MediaFrame frame)
    {
        if (_rebasePending && !PassSourceChange(frame))
        {
            return;
        }
        if ((_joiningVideo || _joiningAudio) && !AcceptWhileJoining(frame))
        {
            frame.Release();
            return;
        }
        Place(frame);
    }

    /// <summary>Stamps a frame on the timeline and hands it to the stream.</summary>
    private void Place(MediaFrame frame)
    {
        Stamp(frame);
        NoteTrackTimestamp(frame);
        sink.Append(frame);
    }

    /// <summary>The next frame comes from a new source (or the same one from somewhere else).</summary>
    /// <param name="newEncodes">The source encodes the media itself (a transcoder), so continuing it resumes video at a keyframe.</param>
    public void BeginSourceChange(bool mayContinue, bool newEncodes = false)
    {
        _rebasePending = true;
        _mayContinue = mayContinue;
        _newEncodes = newEncodes;
        ReleaseHeld();
    }

    /// <summary>
    /// Puts a frame of a source whose timeline is not decided yet through the decision: false when
    /// the frame was held back (a header before the first media frame); the held frames are
    /// appended once the first media frame has decided.
    /// </summary>
    private bool PassSourceChange(MediaFrame frame)
    {
        if (_lastTimestamp < 0)
        {
            // Viewers have seen no media yet: the source's own timeline is the stream's, headers
            // included (they describe the stream at once, and hold nothing back).
            _rebasePending = false;
            _mayContinue = false;
            _offset = 0;
            return true;
        }
        if (!frame.IsMedia)
        {
            if (_held.Count == MaxHeldFrames)
            {
                _held[0].Release();
                _held.RemoveAt(0);
            }
            _held.Add(frame);
            return false;
        }
        StartNewSource(frame);
        return true;
    }

    /// <summary>At the first media frame of a new source: continue the timeline if it is the same one, else rebase it and break HLS.</summary>
    private void StartNewSource(MediaFrame first)
    {
        _rebasePending = false;
        var mayContinue = _mayContinue;
        _mayContinue = false;
        if (mayContinue && TryContinue(first.Timestamp))
        {
            _joiningVideo = _lastVideoTimestamp >= 0;
            _joiningAudio = _lastAudioTimestamp >= 0;
            _videoOverlapSeen = false;
            _resumeAtKeyFrame = _newEncodes;
            SeamlessSourceChanges++;
            StreamLog.TimelineContinues(logger, stream);
            // Headers the stream already has add nothing; new ones (a new resolution) go on.
            AppendHeld(first.Timestamp, skipKnown: true);
            return;
        }
        _offset = _lastTimestamp + 1 - first.Timestamp;
        sink.Break();
        StreamLog.TimelineRebased(logger, stream, _offset);
        AppendHeld(first.Timestamp, skipKnown: false);
    }

    /// <summary>
    /// True (and the offset adjusted) when <paramref name="firstTimestamp"/>, taken modulo the
    /// source's wrap, lands within the window of where viewers are: a source that joins a stream
    /// older than the wrap starts again at its low 32 bits.
    /// </summary>
    private bool TryContinue(long firstTimestamp)
    {
        var wrap = sink.TimestampWrapMs;
        var delta = firstTimestamp + _offset - _lastTimestamp;
        var epochs = (long)Math.Round((double)delta / wrap, MidpointRounding.AwayFromZero);
        var nearest = delta - epochs * wrap;
        if (Math.Abs(nearest) > SameTimelineWindowMs)
        {
            return false;
        }
        _offset -= epochs * wrap;
        return true;
    }

    /// <summary>Appends the held headers, at the new source's first instant (their own stamps say nothing).</summary>
    private void AppendHeld(long firstTimestamp, bool skipKnown)
    {
        foreach (var frame in _held)
        {
            if (skipKnown && sink.IsKnownHeader(frame))
            {
                frame.Release();
                continue;
            }
            frame.Timestamp = firstTimestamp;
            Place(frame);
        }
        _held.Clear();
    }

    public void ReleaseHeld()
    {
        foreach (var frame in _held)
        {
            frame.Release();
        }
        _held.Clear();
    }

    /// <summary>
    /// Moves a frame onto the stream's timeline by the source's offset. Headers and script data
    /// carry no time viewers must keep to: one stamped before the current media time (a parent's
    /// stored header, stamped 0 in an hour-old stream) or far after it is put at the current media
    /// time, so viewers never see time step back, nor a lagging viewer is parked on an old stamp.
    /// </summary>
    private void Stamp(MediaFrame frame)
    {
        frame.Timestamp += _offset;
        if (frame.IsMedia)
        {
            _lastTimestamp = Math.Max(_lastTimestamp, frame.Timestamp);
        }
        else if (_lastTimestamp >= 0 && (frame.Timestamp < _lastTimestamp || frame.Timestamp > _lastTimestamp + SameTimelineWindowMs))
        {
            frame.Timestamp = _lastTimestamp;
        }
    }

    /// <summary>
    /// While a continuing source catches up with what viewers have: false for a frame to drop
    /// (already sent, a repeated header, or video that cannot be shown to continue what was sent).
    /// </summary>
    private bool AcceptWhileJoining(MediaFrame frame)
    {
        if (!frame.IsMedia)
        {
            return !sink.IsKnownHeader(frame);
        }
        var at = frame.Timestamp + _offset;
        if (frame.Kind == FrameKind.Video && _joiningVideo)
        {
            if (at <= _lastVideoTimestamp)
            {
                _videoOverlapSeen = true;
                return false;
            }
            // Without an overlap nothing shows this frame follows the last one sent: wait for a keyframe.
            if (!frame.IsKeyFrame && (!_videoOverlapSeen || _resumeAtKeyFrame))
            {
                return false;
            }
            _joiningVideo = false;
            return true;
        }
        if (frame.Kind == FrameKind.Audio && _joiningAudio)
        {
            if (at <= _lastAudioTimestamp)
            {
                return false;
            }
            _joiningAudio = false;
        }
        return true;
    }

    private void NoteTrackTimestamp(MediaFrame frame)
    {
        if (!frame.IsMedia)
        {
            return;
        }
        if (frame.Kind == FrameKind.Video)
        {
            _lastVideoTimestamp = Math.Max(_lastVideoTimestamp, frame.Timestamp);
        }
        else
        {
            _lastAudioTimestamp = Math.Max(_lastAudioTimestamp, frame.Timestamp);
        }
    }
}
