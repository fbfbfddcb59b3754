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

    internal long Cursor { get; set; }

    /// <summary>Where the stream's viewer set keeps this subscription; -1 when not in it.</summary>
    internal int Slot { get; set; } = -1;

    internal bool NeedsHeaders { get; set; } = true;

    internal bool WaitForKeyFrame { get; set; }

    internal bool Paused { get; set; }

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
