using Appliance.Live.Logging;
using Appliance.Live.Media;

namespace Appliance.Live.Streams;

/// <summary>
/// How a stream's timeline goes on when its source changes. A new publisher starts a new
/// timeline: it is moved to just after the last frame viewers saw, and HLS gets a discontinuity.
/// A pull that moved to another parent usually gets the very same origin stream, with the same
/// timestamps: then the timeline simply continues, the frames viewers already have are dropped,
/// and HLS sees no break at all.
/// </summary>
public sealed partial class LiveStream
{
    // A new source whose first timestamp lands this close to where viewers are is taken to be the
    // same timeline: a parent's GOP cache reaches back a few seconds at most.
    private const long SameTimelineWindowMs = 10_000;

    private bool _mayContinue;
    private bool _joiningVideo;
    private bool _joiningAudio;
    private bool _videoOverlapSeen;
    private long _lastVideoTimestamp = -1;
    private long _lastAudioTimestamp = -1;

    /// <summary>How many times the stream's source changed without a break in its timeline.</summary>
    public long SeamlessSourceChanges { get; private set; }

    /// <summary>At the first frame of a new source: continue the timeline if it is the same one, else rebase it and break HLS.</summary>
    private void StartNewSourceLocked(MediaFrame first)
    {
        _rebasePending = false;
        var continues = _mayContinue && _lastTimestamp >= 0 && Math.Abs(first.Timestamp + _offset - _lastTimestamp) <= SameTimelineWindowMs;
        _mayContinue = false;
        if (continues)
        {
            _joiningVideo = _lastVideoTimestamp >= 0;
            _joiningAudio = _lastAudioTimestamp >= 0;
            _videoOverlapSeen = false;
            SeamlessSourceChanges++;
            LiveLog.TimelineContinues(_logger, Key.ToString());
            return;
        }
        // A new source continues the timeline just after the last frame viewers saw.
        _offset = _lastTimestamp < 0 ? 0 : _lastTimestamp + 1 - first.Timestamp;
        _hls?.Break();
        if (_lastTimestamp >= 0)
        {
            LiveLog.TimelineRebased(_logger, Key.ToString(), _offset);
        }
    }

    /// <summary>
    /// While a continuing source catches up with what viewers have: false for a frame to drop
    /// (already sent, a repeated header, or video that cannot be shown to continue what was sent).
    /// </summary>
    private bool AcceptWhileJoiningLocked(MediaFrame frame)
    {
        if (frame.IsSequenceHeader || frame.Kind == FrameKind.Script)
        {
            var current = frame.Kind switch
            {
                FrameKind.Video => _videoHeader,
                FrameKind.Audio => _audioHeader,
                _ => _metadata,
            };
            return current is null || !current.Payload.Span.SequenceEqual(frame.Payload.Span);
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
            if (!frame.IsKeyFrame && !_videoOverlapSeen)
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

    private void NoteTrackTimestampLocked(MediaFrame frame)
    {
        if (frame.IsSequenceHeader)
        {
            return;
        }
        if (frame.Kind == FrameKind.Video)
        {
            _lastVideoTimestamp = Math.Max(_lastVideoTimestamp, frame.Timestamp);
        }
        else if (frame.Kind == FrameKind.Audio)
        {
            _lastAudioTimestamp = Math.Max(_lastAudioTimestamp, frame.Timestamp);
        }
    }
}
