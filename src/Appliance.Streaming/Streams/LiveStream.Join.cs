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
    /// them from. ffmpeg-based players (ffplay, mpv, and what else is built on libavformat) do not
    /// start before they have read 20 video frames to guess the frame rate (fps_analyze_framecount):
    /// with fewer in the burst they wait for live frames at their real pace, and that wait stays
    /// with them as latency for good.
    /// </summary>
    internal const int MinBurstVideoFrames = 20;

    private bool JoinsAtLiveEdge(Subscription subscription) => App.JoinMode == JoinModes.Live && !subscription.RelaysTimeline;

    /// <summary>Asks for a burst at the viewer's next collect, when it will be planned on the log as it is then.</summary>
    private void AskForBurst(Subscription subscription)
    {
        if (JoinsAtLiveEdge(subscription))
        {
            subscription.BurstPending = true;
            subscription.BurstPendingSinceMs = MonotonicClock.NowMs;
        }
    }

    /// <summary>
    /// Plans the pending burst from the newest keyframe. A viewer that was already sent media (a
    /// resume, a skip) gets the burst after the newest time it has; when that leaves no room before
    /// live, it waits for the next keyframe instead (its player still shows the last picture).
    /// </summary>
    private bool PlanBurst(Subscription subscription)
    {
        subscription.BurstPending = false;
        var keyFrame = LiveJoinKeyFrame(subscription.Cursor);
        if (keyFrame < 0)
        {
            return true;
        }
        var burst = JoinBurst.Plan(_log, keyFrame, subscription.LastStamp, App.JoinBurstMs, subscription.Format, Serializer, out var noRoom);
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
    /// newest is followed by fewer than <see cref="MinBurstVideoFrames"/> video frames; -1 when
    /// the log has none there.
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
                return sequence;
            }
        }
        return newest;
    }

    private static void AddBurstFrame(Subscription subscription, JoinBurst burst, MediaFrame frame, OutputBatch batch)
    {
        var stamp = subscription.LastStamp;
        if (burst.Add(frame, batch, ref stamp))
        {
            subscription.FramesSent++;
        }
        subscription.LastStamp = stamp;
    }

    private static void EndBurst(Subscription subscription)
    {
        subscription.BurstPending = false;
        subscription.Burst?.Dispose();
        subscription.Burst = null;
    }
}
