using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>Where segments start and end, on both tracks, and where the timeline breaks.</summary>
public sealed partial class CmafPackager
{
    private void OnVideo(MediaFrame frame, int bodyOffset, int compositionMs, bool key)
    {
        var at = frame.Timestamp;
        NoteTime(at);
        if (_audioLeads)
        {
            // The stream got video: its segments follow the video's cuts from now on.
            BreakTimeline();
        }
        if (!_video.IsOpen)
        {
            if (!key || !_numbering.MayStartAt(at))
            {
                return;
            }
            StartPrimary(_video, at);
        }
        else if (key && _numbering.EndsSegment(_video.StartMs, at))
        {
            Complete(_video, at);
            StartPrimary(_video, at);
        }
        else if (at - _video.StartMs >= _options.TargetMs * MaxSegmentTargets)
        {
            StreamLog.Packaging(_logger, _stream, $"CMAF: no keyframe for {at - _video.StartMs} ms; cutting a segment without one");
            Complete(_video, at);
            StartPrimary(_video, at);
        }
        _changed |= _video.Add(frame, bodyOffset, compositionMs, key);
        _lastMs = Math.Max(_lastMs, at);
    }

    private void OnAudio(MediaFrame frame, int bodyOffset, bool streamHasVideo)
    {
        var at = frame.Timestamp;
        NoteTime(at);
        // Video this packager cannot carry (another codec, no usable header) leaves the cuts to the audio.
        if (streamHasVideo && _video.Init is not null)
        {
            if (_audioLeads)
            {
                BreakTimeline();
            }
            FollowVideoCuts(at);
            if (!_audio.IsOpen)
            {
                // Before the first video segment (or between a break and its keyframe).
                return;
            }
        }
        else if (!_audio.IsOpen)
        {
            if (!_numbering.MayStartAt(at))
            {
                return;
            }
            StartPrimary(_audio, at);
            _audioLeads = true;
        }
        else if (_numbering.EndsSegment(_audio.StartMs, at))
        {
            Complete(_audio, at);
            StartPrimary(_audio, at);
        }
        _changed |= _audio.Add(frame, bodyOffset, compositionMs: 0, sync: true);
        _lastMs = Math.Max(_lastMs, at);
    }

    /// <summary>
    /// Audio segment N starts at the first audio frame at or after video segment N's start. Audio
    /// stamped before the cut that comes after it still goes into the segment before. Numbers stay
    /// consecutive, as a playlist requires: after a stretch with no audio at all through a whole
    /// video segment, the audio's numbers run behind the video's (logged).
    /// </summary>
    private void FollowVideoCuts(long at)
    {
        long? cut = null;
        while (_audioCuts.TryPeek(out var next) && next.StartMs <= at)
        {
            cut = _audioCuts.Dequeue().Number;
        }
        if (cut is not { } videoNumber)
        {
            return;
        }
        if (_audio.IsOpen)
        {
            Complete(_audio, at);
        }
        var number = _audio.Number >= 0 ? _audio.Number + 1 : videoNumber;
        if (number != videoNumber && _audioNumbering.ShouldLog())
        {
            StreamLog.Packaging(_logger, _stream, $"CMAF: audio segment {number} goes with video segment {videoNumber} (the audio had a gap)");
        }
        _audio.Start(number, at, _audio.BreakPending, _epoch!);
        _audio.BreakPending = false;
        _changed = true;
    }

    /// <summary>Starts the leading track's next segment (video, or audio in an audio-only stream) and tells the audio where the video cut.</summary>
    private void StartPrimary(CmafTrack track, long at)
    {
        var number = _numbering.Take(at);
        var epoch = EpochAt(number, at);
        track.Start(number, at, track.BreakPending, epoch);
        track.BreakPending = false;
        if (ReferenceEquals(track, _video) && _audio.Init is not null)
        {
            if (_audioCuts.Count == MaxQueuedCuts)
            {
                _audioCuts.Dequeue();
            }
            _audioCuts.Enqueue((number, at));
        }
        _changed = true;
    }

    /// <summary>The epoch a segment starting at <paramref name="at"/> belongs to: the current one, or a new one after a break.</summary>
    private CmafEpoch EpochAt(long number, long at)
    {
        if (_newTimeline)
        {
            // A new timeline no longer follows the wall clock the old one did (a republish is moved
            // just after the last frame, whatever the pause): anchor it again.
            _newTimeline = false;
            _wallClockAtZeroMs = NowMs - at;
        }
        if (_epoch is not null && !_newEpoch)
        {
            return _epoch;
        }
        _newEpoch = false;
        if (_availabilityStartMs < 0)
        {
            // The first timeline fixes availabilityStartTime for the stream's life: media time is presentation time.
            _availabilityStartMs = _wallClockAtZeroMs;
            _epoch = new CmafEpoch(number, _wallClockAtZeroMs, PeriodStartMs: 0, PresentationOffsetMs: 0);
        }
        else
        {
            // A later one starts where the wall clock is, never before the previous one's media ended.
            var previousEnd = _epoch!.PeriodStartMs + (_epochEndMs - _epoch.PresentationOffsetMs);
            var periodStart = Math.Max(_wallClockAtZeroMs + at - _availabilityStartMs, previousEnd);
            _wallClockAtZeroMs = _availabilityStartMs + periodStart - at;
            _epoch = new CmafEpoch(number, _wallClockAtZeroMs, periodStart, PresentationOffsetMs: at);
        }
        _epochEndMs = at;
        return _epoch;
    }

    private void Complete(CmafTrack track, long endMs)
    {
        var segment = track.Complete(endMs);
        if (segment is null)
        {
            return;
        }
        // The playlist's target only grows (RFC 8216: EXTINF rounded must not exceed it); the cut
        // threshold stays the configured one, so one long segment does not lengthen the rest.
        if ((segment.DurationMs + 500) / 1000 > (_targetMs + 500) / 1000)
        {
            StreamLog.Packaging(_logger, _stream, $"CMAF: a {segment.DurationMs} ms segment is longer than the {_options.TargetMs} ms target (keyframe interval too long); playlist target raised to {segment.DurationMs} ms");
            _targetMs = segment.DurationMs;
        }
        track.Window.Add(segment);
        track.Window.KeepInits(track.Init);
        _epochEndMs = Math.Max(_epochEndMs, segment.EndMs);
        _completed.Add(segment);
        _segmentsChanged = true;
        _changed = true;
    }

    /// <summary>A step of more than 10 s in media time, either way, is a new timeline.</summary>
    private void NoteTime(long at)
    {
        if (!SegmentNumbering.IsJump(_lastMs, at))
        {
            return;
        }
        if (_jumps.ShouldLog())
        {
            StreamLog.Packaging(_logger, _stream, $"CMAF: timestamp jumped {at - _lastMs} ms; cutting a discontinuity");
        }
        BreakTimeline();
        _lastMs = at;
    }

    /// <summary>Completes both tracks' segments where their last frames end; what comes next is a new epoch, after a discontinuity.</summary>
    private void BreakTimeline()
    {
        if (_video.IsOpen)
        {
            Complete(_video, _video.EstimatedEndMs);
        }
        if (_audio.IsOpen)
        {
            Complete(_audio, _audio.EstimatedEndMs);
        }
        _audioCuts.Clear();
        _audioLeads = false;
        _video.BreakPending = true;
        _audio.BreakPending = true;
        _newTimeline = true;
        _newEpoch = true;
        _changed = true;
    }
}
