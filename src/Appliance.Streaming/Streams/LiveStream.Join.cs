using Appliance.Core.Time;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;

namespace Appliance.Streaming.Streams;

/// <summary>
/// Joining at the live edge ("joinMode": "live"): a viewer that (re)starts at a keyframe gets the
/// cached frames up to the live frame as a <see cref="JoinBurst"/>, re-stamped to end at live.
/// It applies to a new viewer, a paused RTMP viewer that resumes, and a viewer that skipped ahead
/// for lagging: each of them has a player that is behind the live edge by the cached GOP otherwise.
/// Never to another node's copy (<see cref="Subscription.RelaysTimeline"/>): that node continues
/// this timeline and must get the frames at their own times.
/// </summary>
public sealed partial class LiveStream
{
    /// <summary>
    /// The fewest video frames a burst starts with when the log has an older keyframe to take
    /// them from. Players built on libavformat (ffplay, mpv, ...) do not start before they have
    /// read enough video frames to guess the frame rate: 20, and 40 where timestamps are in
    /// milliseconds, as in FLV and RTMP (avformat_find_stream_info's fps_analyze_framecount). With
    /// fewer in the burst they wait for live frames at their real pace, and keep that wait as
    /// latency for good (measured: 1.7 s behind whatever the join).
    /// </summary>
    internal const int MinBurstVideoFrames = 40;

    // A gap between two media frames that a source catching up does not leave (it sends as fast
    // as the link goes), and a real-time one leaves within a frame or two; and how long a live join
    // waits at most for the catch-up to end.
    private const int PacedGapMs = 8;
    private const int MaxCatchUpWaitMs = 1000;

    private bool _catchingUp;
    private long _lastMediaArrivalMs = -1;
    // When the catch-up's first media frame came: a join that was asked before that (a pull's
    // first viewer, while the pull connects) waits from then, not from its request.
    private long _catchUpStartMs = -1;
    private long _pacedStamp = long.MinValue;

    /// <summary>The clock of the catch-up wait (monotonic ms); tests set their own.</summary>
    internal Func<long> Clock { get; set; } = static () => MonotonicClock.NowMs;

    private bool JoinsAtLiveEdge(Subscription subscription) => App.JoinMode == JoinModes.Live && !subscription.RelaysTimeline;

    /// <summary>Asks for a burst at the viewer's next collect, when it will be planned on the log as it is then.</summary>
    private void AskForBurst(Subscription subscription)
    {
        if (JoinsAtLiveEdge(subscription))
        {
            subscription.BurstPending = true;
            subscription.BurstPendingSinceMs = Clock();
        }
    }

    /// <summary>
    /// Plans the pending burst from the keyframe a live join starts at. A viewer that was already sent media (a
    /// resume, a skip) gets the burst after the newest time it has; when that leaves no room before
    /// live, it waits for the next keyframe instead (its player still shows the last picture).
    /// </summary>
    private bool PlanBurst(Subscription subscription)
    {
        if (_catchingUp && !_ended && (_catchUpStartMs < 0 || Clock() - Math.Max(subscription.BurstPendingSinceMs, _catchUpStartMs) < MaxCatchUpWaitMs))
        {
            // The live edge is not in the log yet: planning now would leave the viewer behind by the rest of the catch-up.
            return false;
        }
        subscription.BurstPending = false;
        var keyFrame = LiveJoinKeyFrame(subscription.Cursor);
        if (keyFrame < 0)
        {
            return true;
        }
        var burstMs = subscription.IsBrowser ? App.BrowserJoinBurstMs : App.JoinBurstMs;
        var burst = JoinBurst.Plan(_log, keyFrame, subscription.LastStamp, burstMs, subscription.Format, Serializer, out var noRoom);
        if (noRoom)
        {
            subscription.Cursor = _log.Head;
            subscription.WaitForKeyFrame = HasVideo;
            return true;
        }
        subscription.Cursor = keyFrame;
        subscription.WaitForKeyFrame = false;
        subscription.Burst = burst;
        return true;
    }

    /// <summary>
    /// The newest keyframe at or after <paramref name="notBefore"/>, or the one before it when the
    /// newest is followed by fewer than <see cref="MinBurstVideoFrames"/> video frames (and that one
    /// is not so old that the viewer would count as lagging); -1 when the log has none there.
    /// </summary>
    private long LiveJoinKeyFrame(long notBefore)
    {
        var newest = _log.LastKeyFrame;
        if (newest < notBefore)
        {
            return -1;
        }
        var videoFrames = 0;
        for (var sequence = newest; sequence < _log.Head && videoFrames < MinBurstVideoFrames; sequence++)
        {
            if (_log[sequence].Kind == FrameKind.Video && _log[sequence].IsMedia)
            {
                videoFrames++;
            }
        }
        if (videoFrames >= MinBurstVideoFrames)
        {
            return newest;
        }
        for (var sequence = newest - 1; sequence >= Math.Max(notBefore, _log.Tail); sequence--)
        {
            if (_log[sequence].IsVideoKeyFrame)
            {
                return _log[sequence].Timestamp >= _log.NewestTimestamp - App.MaxViewerLagMs ? sequence : newest;
            }
        }
        return newest;
    }

    /// <summary>
    /// A new source, or the same one from elsewhere: one that relays another node's copy (a pull,
    /// a push from a node) starts with that node's GOP cache, sent faster than real time, and is
    /// not at the live edge until that has arrived. A live join waits for it (at most
    /// <see cref="MaxCatchUpWaitMs"/>), so the first viewer of a pull is at the live edge too.
    /// </summary>
    private void BeginCatchUp(IStreamSource source)
    {
        _catchingUp = source.RelaysTimeline;
        _lastMediaArrivalMs = -1;
        _catchUpStartMs = -1;
        _pacedStamp = long.MinValue;
    }

    /// <summary>
    /// Ends the catch-up at the first media frame that comes at real pace: after a gap no burst
    /// leaves, and not ahead of the clock (its time advanced no more than the gap).
    /// </summary>
    private void NotePace(MediaFrame frame)
    {
        if (!_catchingUp || !frame.IsMedia)
        {
            return;
        }
        var now = Clock();
        if (_catchUpStartMs < 0)
        {
            _catchUpStartMs = now;
        }
        if (_lastMediaArrivalMs >= 0)
        {
            var gap = now - _lastMediaArrivalMs;
            if (gap >= PacedGapMs && frame.Timestamp - _pacedStamp <= gap + PacedGapMs)
            {
                _catchingUp = false;
            }
        }
        _lastMediaArrivalMs = now;
        _pacedStamp = Math.Max(_pacedStamp, frame.Timestamp);
    }

    /// <summary>
    /// Adds the burst's frames to <paramref name="batch"/>; false when the batch filled first (the
    /// rest goes at the next collect). The viewer's cursor follows the burst's progress, so a lag
    /// check sees where it is; once done, it stands at the live frame.
    /// </summary>
    private bool AddBurst(Subscription subscription, OutputBatch batch)
    {
        var burst = subscription.Burst!;
        var stamp = subscription.LastStamp;
        var step = JoinBurst.Step.Skipped;
        while (!batch.IsFull && (step = burst.AddNext(_log, batch, ref stamp)) != JoinBurst.Step.Done)
        {
            if (step == JoinBurst.Step.Added)
            {
                subscription.FramesSent++;
            }
        }
        subscription.LastStamp = stamp;
        if (step != JoinBurst.Step.Done)
        {
            subscription.Cursor = burst.Progress;
            return false;
        }
        subscription.Cursor = burst.LiveSequence;
        EndBurst(subscription);
        return true;
    }

    private static void EndBurst(Subscription subscription)
    {
        subscription.BurstPending = false;
        subscription.Burst?.Dispose();
        subscription.Burst = null;
    }
}
