using Appliance.Streaming.Media;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// A viewer's place in one stream: a cursor into the stream's frame log and the little state
/// needed to start at a keyframe, skip when too slow, and pause. The stream mutates it under its
/// lock; the viewer's writer reads it through <see cref="IFrameSource.Collect"/>.
/// </summary>
public sealed class Subscription
{
    private readonly long[] _skipTimes;
    private int _skipCount;

    internal Subscription(IFrameSource source, WireFormat format, ConnectionWriter writer, int maxSkipsPerMinute)
    {
        Source = source;
        Format = format;
        Writer = writer;
        _skipTimes = new long[maxSkipsPerMinute + 1];
    }

    /// <summary>The stream this viewer reads.</summary>
    public IFrameSource Source { get; }

    public WireFormat Format { get; }

    public ConnectionWriter Writer { get; }

    /// <summary>A push to another node rather than a viewer: left out of viewer counts and limits.</summary>
    public bool IsForwarder { get; internal init; }

    /// <summary>
    /// Another node's copy of the stream (a push, or a pull a child node made): its frames keep
    /// their timestamps, never re-stamped at join, since that node continues this timeline.
    /// </summary>
    public bool RelaysTimeline => IsForwarder || IsRelay;

    /// <summary>A pull from another node (its request named a node in appliance_via), counted as a viewer.</summary>
    internal bool IsRelay { get; init; }

    /// <summary>A web browser's request: a live join re-stamps into the app's browserJoinBurstMs.</summary>
    internal bool IsBrowser { get; init; }

    internal long Cursor { get; set; }

    /// <summary>Where the stream's viewer set keeps this subscription; -1 when not in it.</summary>
    internal int Slot { get; set; } = -1;

    internal bool NeedsHeaders { get; set; } = true;

    internal bool WaitForKeyFrame { get; set; }

    internal bool Paused { get; set; }

    /// <summary>Set at a live-edge (re)start: the join burst is planned at the next collect, with the log as it is then.</summary>
    internal bool BurstPending { get; set; }

    /// <summary>When the pending burst was asked for (monotonic ms), to bound how long it may wait for a source catching up.</summary>
    internal long BurstPendingSinceMs { get; set; }

    /// <summary>The cached frames being sent re-stamped; null outside a join burst.</summary>
    internal JoinBurst? Burst { get; set; }

    /// <summary>The newest audio or video timestamp this viewer was sent, as sent (re-stamped in a burst); long.MinValue before any.</summary>
    internal long LastStamp { get; set; } = long.MinValue;

    public long FramesSent { get; internal set; }

    public long Skips { get; private set; }

    /// <summary>Set by the protocol: what to do when the stream ends (send EOF, close, ...).</summary>
    public Action<Subscription>? Ended { get; set; }

    /// <summary>Records a skip; true when the viewer has skipped too often to be worth keeping.</summary>
    internal bool RecordSkipAndCheckHopeless(long nowMs)
    {
        Skips++;
        _skipTimes[_skipCount % _skipTimes.Length] = nowMs;
        _skipCount++;
        if (_skipCount < _skipTimes.Length)
        {
            return false;
        }
        var oldest = _skipTimes[_skipCount % _skipTimes.Length];
        return nowMs - oldest < 60_000;
    }
}
