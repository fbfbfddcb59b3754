using Appliance.Streaming.Media;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// A stream's recent frames in arrival order, numbered by a sequence that only grows. It is the GOP
/// cache and every subscriber's queue at once: a subscriber is just a cursor (a sequence number)
/// into it, so fan-out costs no per-subscriber copies or references. Frames leave the tail when
/// they are older than the lag bound and not part of the current GOP, or when a hard cap is hit.
/// Not thread-safe: the owning stream serializes access.
/// </summary>
internal sealed class FrameLog
{
    private const int InitialCapacity = 256;

    // How far past a header the age of the media after it is looked for: a header run is a few
    // frames; a longer run of script data (hostile) is aged by its own stamps.
    private const int MaxHeaderRun = 16;

    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private MediaFrame?[] _ring = new MediaFrame?[InitialCapacity];
    private long _bytes;

    public FrameLog(int maxEntries, long maxBytes)
    {
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    /// <summary>The sequence number the next appended frame gets.</summary>
    public long Head { get; private set; }

    /// <summary>The oldest sequence number still held.</summary>
    public long Tail { get; private set; }

    /// <summary>Sequence of the newest video keyframe still held, or -1.</summary>
    public long LastKeyFrame { get; private set; } = -1;

    /// <summary>
    /// The newest audio or video timestamp appended (before any, the newest of any frame). Only
    /// media says where the stream is: a header or script frame carries whatever its sender
    /// stamped, 0 in an hour-old stream, which read just before RTMP's 32-bit wrap extends to the
    /// next epoch; taken as the newest, it made every viewer look a minute behind until the wrap,
    /// and they were skipped, then closed as too slow.
    /// </summary>
    public long NewestTimestamp { get; private set; }

    private bool _sawMedia;

    public int Count => (int)(Head - Tail);

    public long Bytes => _bytes;

    public MediaFrame this[long sequence] => _ring[sequence & (_ring.Length - 1)]!;

    public void Append(MediaFrame frame)
    {
        if (Count >= _maxEntries)
        {
            EvictOldest();
        }
        if (Count == _ring.Length)
        {
            Grow();
        }
        _ring[Head & (_ring.Length - 1)] = frame;
        if (frame.IsVideoKeyFrame)
        {
            LastKeyFrame = Head;
        }
        Head++;
        _bytes += frame.Payload.Length;
        if (frame.IsMedia && (frame.Timestamp > NewestTimestamp || !_sawMedia))
        {
            NewestTimestamp = frame.Timestamp;
            _sawMedia = true;
        }
        else if (!_sawMedia && (frame.Timestamp > NewestTimestamp || Count == 1))
        {
            NewestTimestamp = frame.Timestamp;
        }
        while (_bytes > _maxBytes && Count > 1)
        {
            EvictOldest();
        }
    }

    /// <summary>
    /// Drops frames that neither the GOP cache (from <paramref name="keepFrom"/>) nor a subscriber
    /// within <paramref name="maxLagMs"/> of live can still need.
    /// </summary>
    public void Trim(long keepFrom, long maxLagMs)
    {
        var lagLimit = NewestTimestamp - maxLagMs;
        while (Tail < Head && Tail < keepFrom && AgeStamp(Tail) < lagLimit)
        {
            EvictOldest();
        }
    }

    /// <summary>
    /// A media frame's timestamp; for a header or script frame (stamped 0 by encoders however late
    /// their media starts) that of the media frame after it, looking a few frames ahead at most.
    /// </summary>
    private long AgeStamp(long sequence)
    {
        var end = Math.Min(Head, sequence + MaxHeaderRun);
        for (var s = sequence; s < end; s++)
        {
            if (this[s].IsMedia)
            {
                return this[s].Timestamp;
            }
        }
        return this[sequence].Timestamp;
    }

    public void Clear()
    {
        while (Tail < Head)
        {
            EvictOldest();
        }
    }

    private void EvictOldest()
    {
        var index = Tail & (_ring.Length - 1);
        var frame = _ring[index]!;
        _ring[index] = null;
        _bytes -= frame.Payload.Length;
        if (LastKeyFrame == Tail)
        {
            LastKeyFrame = -1;
        }
        Tail++;
        frame.Release();
    }

    private void Grow()
    {
        var bigger = new MediaFrame?[_ring.Length * 2];
        for (var seq = Tail; seq < Head; seq++)
        {
            bigger[seq & (bigger.Length - 1)] = _ring[seq & (_ring.Length - 1)];
        }
        _ring = bigger;
    }
}
