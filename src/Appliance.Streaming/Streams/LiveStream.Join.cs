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
        var keyFrame = _log.LastKeyFrame;
        if (keyFrame < 0 || keyFrame < subscription.Cursor)
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
