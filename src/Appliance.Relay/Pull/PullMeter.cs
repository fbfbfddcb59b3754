namespace Appliance.Relay.Pull;

/// <summary>
/// What one upstream session shows of its path, for the candidate's health. Per interval (at
/// least <see cref="IntervalMs"/>): the bytes received per second of wall time and per second of
/// media time advanced; the second is the stream's own rate, so their ratio (media time delivered
/// per second) says whether the path carries the stream, whatever its bitrate. Comparing bytes
/// with the bytes the stream took in would not: both come through the same path. Per message: a
/// hiccup a viewer would notice, that is media arriving at least <c>hiccupMs</c> later than its
/// timestamps allow (a short stall), or timestamps jumping forward by more than <c>jumpMs</c> (the
/// parent dropped media because this path is too slow for it). Media time skipped by a jump never
/// arrived, so it does not count as delivered. Only audio, video and aggregate messages count:
/// metadata carries no timeline. Not thread-safe: the pull's loop alone feeds it.
/// </summary>
internal sealed class PullMeter
{
    public const int IntervalMs = 1_000;

    private readonly int _hiccupMs;
    private readonly int _jumpMs;
    private long _intervalStartMs;
    private long _intervalStartBytes;
    private long _intervalMediaMs;
    private bool _started;
    private uint _newest;
    private long _lastArrivalMs;

    /// <param name="hiccupMs">Media this late, beyond what its timestamps advanced, is a hiccup.</param>
    /// <param name="jumpMs">A forward step in timestamps larger than this is media the upstream skipped; a backward one, a new timeline.</param>
    public PullMeter(long nowMs, long bytesReceived, int hiccupMs, int jumpMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiccupMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(jumpMs, hiccupMs);
        _hiccupMs = hiccupMs;
        _jumpMs = jumpMs;
        _intervalStartMs = nowMs;
        _intervalStartBytes = bytesReceived;
    }

    /// <summary>Notes one message as it arrives; true when it is a hiccup (late, or after skipped media).</summary>
    public bool OnMessage(byte typeId, uint timestamp, long nowMs)
    {
        if (typeId is not (FeedMessage.AudioTypeId or FeedMessage.VideoTypeId or FeedMessage.AggregateTypeId))
        {
            return false;
        }
        if (!_started)
        {
            _started = true;
            _newest = timestamp;
            _lastArrivalMs = nowMs;
            return false;
        }
        // RTMP timestamps are 32-bit and wrap; the difference as a signed number is the step.
        int step = unchecked((int)(timestamp - _newest));
        long gap = nowMs - _lastArrivalMs;
        _lastArrivalMs = nowMs;
        if (step > _jumpMs)
        {
            _newest = timestamp;
            return true;
        }
        if (step < -_jumpMs)
        {
            // The upstream started a new timeline (its source republished): measure from here.
            _newest = timestamp;
            return false;
        }
        // Audio and video interleave slightly out of order: only the newest timestamp moves the timeline.
        int advance = Math.Max(0, step);
        if (advance > 0)
        {
            _newest = timestamp;
            _intervalMediaMs += advance;
        }
        return gap - advance >= _hiccupMs;
    }

    /// <summary>
    /// Once an interval has passed: the bytes per second received over it, and per second of
    /// media it advanced (null when it advanced none), and a new interval starts. False before.
    /// </summary>
    public bool TryTakeSample(long nowMs, long bytesReceived, out double bytesPerSecond, out double? mediaBytesPerSecond)
    {
        long elapsed = nowMs - _intervalStartMs;
        if (elapsed < IntervalMs)
        {
            bytesPerSecond = 0;
            mediaBytesPerSecond = null;
            return false;
        }
        long bytes = bytesReceived - _intervalStartBytes;
        bytesPerSecond = bytes * 1000.0 / elapsed;
        mediaBytesPerSecond = _intervalMediaMs > 0 ? bytes * 1000.0 / _intervalMediaMs : null;
        _intervalStartMs = nowMs;
        _intervalStartBytes = bytesReceived;
        _intervalMediaMs = 0;
        return true;
    }
}
