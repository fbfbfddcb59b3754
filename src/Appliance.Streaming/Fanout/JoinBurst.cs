using System.Buffers;
using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// One viewer's join at the live edge. The viewer still starts at a cached keyframe (its first
/// picture at once), but the cached video from there up to the live frame (the newest video
/// frame when the burst is planned) is re-stamped into a short interval that ends at the live
/// frame's timestamp: the player decodes through the GOP in a blink and is at the live edge when
/// the live frames come. Cached audio older than the interval is dropped, the audio within it is
/// sent as it is (so there is no audio gap at the live edge, and audio never steps back).
/// </summary>
/// <remarks>
/// The new times come from the original ones by one map, strictly increasing: every distinct DTS
/// and PTS of the burst's video below the live frame's timestamp gets a slot in the interval by
/// its rank, evenly spaced, at least 1 ms apart; times from the live frame's on stay as they are.
/// So decode order, presentation order (B-frames included) and PTS = DTS where it was all hold,
/// and the live frames that follow keep their own, shared bytes. In FLV and RTMP the burst goes in
/// time order across the tracks (the kept audio, at its own times, between the re-stamped video), as
/// their players expect of interleaved tracks; TS goes in log order, which keeps the continuity of
/// the PAT and PMT the packager put in front of some frames (TS players sort by PID anyway). Only the headers that carry a time
/// are the viewer's own (<see cref="JoinBurst"/>.Wire.cs): they are written into one pooled buffer
/// rented for the burst; the payloads are slices of the frames' shared wire bytes.
/// </remarks>
internal sealed partial class JoinBurst : IDisposable
{
    private readonly WireFormat _format;
    private readonly FrameSerializer _serializer;
    private long[] _times;
    private readonly int _timeCount;
    private readonly long _start;
    private readonly long _liveTimestamp;
    private readonly bool _interleave;
    private SharedBuffer? _arena;
    private int _arenaUsed;

    // The next log sequence each track looks at; without interleaving, _video takes every frame.
    private long _video;
    private long _audio;

    // Headers and script data met in the burst go at the time of the video before them.
    private long _laneStamp;

    private JoinBurst(WireFormat format, FrameSerializer serializer, long[] times, int timeCount, long start, long liveTimestamp, long keyFrame, long liveSequence)
    {
        _format = format;
        _interleave = format != WireFormat.Ts;
        _video = _audio = keyFrame;
        _serializer = serializer;
        _times = times;
        _timeCount = timeCount;
        _start = start;
        _liveTimestamp = liveTimestamp;
        _laneStamp = start;
        LiveSequence = liveSequence;
    }

    /// <summary>The live frame's place in the log: it and every frame after it go as they are.</summary>
    public long LiveSequence { get; }

    /// <summary>The oldest log sequence the burst still has to read (the viewer's cursor for lag checks).</summary>
    public long Progress => _interleave ? Math.Min(_video, _audio) : _video;

    /// <summary>What <see cref="AddNext"/> did.</summary>
    public enum Step
    {
        /// <summary>A frame went into the batch.</summary>
        Added,

        /// <summary>A frame had nothing for this viewer (old audio, no TS packets).</summary>
        Skipped,

        /// <summary>Every frame before the live one has been through.</summary>
        Done,
    }

    /// <summary>
    /// Plans the burst of a viewer starting at <paramref name="keyFrame"/>. Null when there is
    /// nothing to re-stamp (the keyframe is the newest video frame, or no older than the interval):
    /// the viewer then starts there with the frames as they are. <paramref name="noRoom"/> says the
    /// viewer was already sent times up to <paramref name="floor"/> (a resume, a skip) too close to
    /// live to fit the burst after them, so it should wait for the next keyframe instead.
    /// </summary>
    public static JoinBurst? Plan(FrameLog log, long keyFrame, long floor, int burstMs, WireFormat format, FrameSerializer serializer, out bool noRoom)
    {
        noRoom = false;
        var live = NewestVideo(log, keyFrame);
        if (live < 0)
        {
            return null;
        }
        var liveTimestamp = log[live].Timestamp;
        var times = ArrayPool<long>.Shared.Rent((int)(2 * (live - keyFrame)));
        var count = CollectTimes(log, keyFrame, live, liveTimestamp, times);
        var start = liveTimestamp - Math.Max(burstMs, count);
        if (floor != long.MinValue && start <= floor)
        {
            start = floor + 1;
        }
        if (count == 0 || start <= log[keyFrame].Timestamp)
        {
            // The GOP so far fits the interval as it is (or there is no video time to move).
            ArrayPool<long>.Shared.Return(times);
            return null;
        }
        if (liveTimestamp - start < count)
        {
            ArrayPool<long>.Shared.Return(times);
            noRoom = true;
            return null;
        }
        var burst = new JoinBurst(format, serializer, times, count, start, liveTimestamp, keyFrame, live);
        var arenaBytes = 0;
        for (var sequence = keyFrame; sequence < live; sequence++)
        {
            arenaBytes += burst.OwnHeaderBytes(log[sequence]);
        }
        burst._arena = SharedBuffer.Rent(Math.Max(arenaBytes, 1));
        return burst;
    }

    /// <summary>
    /// Adds the burst's next frame to <paramref name="batch"/>: the earlier of the two tracks' next
    /// (video first on a tie, so the keyframe leads), or the next in the log for TS. Raises
    /// <paramref name="lastStamp"/> to the time the viewer was sent.
    /// </summary>
    public Step AddNext(FrameLog log, OutputBatch batch, ref long lastStamp)
    {
        if (!_interleave)
        {
            return _video >= LiveSequence ? Step.Done : Add(log[_video++], batch, ref lastStamp) ? Step.Added : Step.Skipped;
        }
        while (_video < LiveSequence && log[_video].Kind == FrameKind.Audio)
        {
            _video++;
        }
        while (_audio < LiveSequence && (log[_audio].Kind != FrameKind.Audio || log[_audio].IsMedia && log[_audio].Timestamp < _start))
        {
            _audio++;
        }
        var videoNext = _video < LiveSequence;
        var audioNext = _audio < LiveSequence;
        if (!videoNext && !audioNext)
        {
            return Step.Done;
        }
        var frame = videoNext && (!audioNext || VideoTime(log[_video]) <= AudioTime(log[_audio])) ? log[_video++] : log[_audio++];
        return Add(frame, batch, ref lastStamp) ? Step.Added : Step.Skipped;
    }

    private long VideoTime(MediaFrame frame) =>
        frame.Kind == FrameKind.Video && frame.IsMedia ? StampOf(frame.Timestamp) : _laneStamp;

    // A sequence header goes at once, ahead of the audio it configures.
    private static long AudioTime(MediaFrame frame) => frame.IsMedia ? frame.Timestamp : long.MinValue;

    /// <summary>
    /// Adds one frame of the burst to <paramref name="batch"/>; false when it has nothing for this
    /// viewer (old audio, a frame without TS packets).
    /// </summary>
    private bool Add(MediaFrame frame, OutputBatch batch, ref long lastStamp)
    {
        if (frame.Kind == FrameKind.Audio)
        {
            if (frame.IsMedia && frame.Timestamp < _start)
            {
                AddTablesOnly(frame, batch);
                return false;
            }
            var wire = WireOf(frame);
            if (wire is null)
            {
                return false;
            }
            batch.Add(wire);
            if (frame.IsMedia)
            {
                lastStamp = Math.Max(lastStamp, frame.Timestamp);
            }
            return true;
        }
        long dts = _laneStamp;
        var compositionTime = 0;
        if (frame.Kind == FrameKind.Video && frame.IsMedia)
        {
            var original = CompositionTimeOf(frame);
            dts = StampOf(frame.Timestamp);
            compositionTime = ClampSi24(StampOf(frame.Timestamp + original) - dts);
            _laneStamp = dts;
        }
        if (!AddRestamped(frame, dts, compositionTime, batch))
        {
            return false;
        }
        if (frame.IsMedia)
        {
            lastStamp = Math.Max(lastStamp, dts);
        }
        return true;
    }

    /// <summary>Where an original time lands: its rank among the burst's times, or itself from the live frame's time on.</summary>
    private long StampOf(long time)
    {
        if (time >= _liveTimestamp)
        {
            return time;
        }
        var rank = Array.BinarySearch(_times, 0, _timeCount, time);
        if (rank < 0)
        {
            rank = Math.Min(~rank, _timeCount - 1);
        }
        return _start + (rank * (_liveTimestamp - _start) / _timeCount);
    }

    public void Dispose()
    {
        _arena?.Release();
        _arena = null;
        if (_times.Length > 0)
        {
            ArrayPool<long>.Shared.Return(_times);
            _times = [];
        }
    }

    /// <summary>The newest video frame after <paramref name="keyFrame"/>, or -1.</summary>
    private static long NewestVideo(FrameLog log, long keyFrame)
    {
        for (var sequence = log.Head - 1; sequence > keyFrame; sequence--)
        {
            var frame = log[sequence];
            if (frame.Kind == FrameKind.Video && frame.IsMedia)
            {
                return sequence;
            }
        }
        return -1;
    }

    /// <summary>The distinct DTS and PTS of the video in [<paramref name="from"/>, <paramref name="live"/>) below the live time, sorted; returns how many.</summary>
    private static int CollectTimes(FrameLog log, long from, long live, long liveTimestamp, long[] times)
    {
        var count = 0;
        for (var sequence = from; sequence < live; sequence++)
        {
            var frame = log[sequence];
            if (frame.Kind != FrameKind.Video || !frame.IsMedia)
            {
                continue;
            }
            var dts = frame.Timestamp;
            var pts = dts + CompositionTimeOf(frame);
            if (dts < liveTimestamp)
            {
                times[count++] = dts;
            }
            if (pts != dts && pts < liveTimestamp)
            {
                times[count++] = pts;
            }
        }
        Array.Sort(times, 0, count);
        var distinct = 0;
        for (var i = 0; i < count; i++)
        {
            if (distinct == 0 || times[i] != times[distinct - 1])
            {
                times[distinct++] = times[i];
            }
        }
        return distinct;
    }

    private static int CompositionTimeOf(MediaFrame frame) =>
        VideoTagInfo.TryParse(frame.Payload.Span, out var info) ? info.CompositionTimeMs : 0;

    private static int ClampSi24(long value) => (int)Math.Clamp(value, -0x800000, 0x7FFFFF);
}
