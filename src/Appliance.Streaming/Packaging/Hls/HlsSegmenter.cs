using Appliance.Core.Buffers;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Media;
using Appliance.Transport.Files;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>
/// Cuts one stream's TS packets into HLS segments, in publish order (the stream's lock guards it).
/// A segment begins at a frame whose packets start with the PAT (the muxer puts the tables before
/// every video keyframe, and at least every 100 ms): at a keyframe for streams with video, at such
/// an audio frame for audio-only streams; it ends at the first such frame once the target
/// duration is reached. Bytes go straight into the segment's in-memory file as frames arrive.
/// </summary>
internal sealed class HlsSegmenter
{
    // A keyframe interval this many times the target is cut anyway: one endless segment helps nobody.
    private const int MaxSegmentTargets = 4;

    // A step in media time bigger than this (either way) is a new timeline, not a long frame.
    private const long TimestampJumpMs = 10_000;

    // A cut point this close after a boundary counts as on it (a stream starting at 0, say).
    private const long BoundarySlackMs = 100;

    private readonly HlsConfig _config;
    private readonly ILogger _logger;
    private readonly string _stream;

    // A source whose timestamps jump back and forth would cut (and log) one with every frame.
    private readonly RepeatedLog _jumps;
    private long _wallClockAtZeroMs;
    private bool _newTimeline;
    private MemoryFileWriter? _current;
    private long _currentStartMs;
    private long _currentSequence;
    private long _nextSequence = -1;
    private long _lastMs = long.MinValue;
    private long _targetMs;
    private bool _discontinuityNext;
    private long? _firstSeenBucket;

    public HlsSegmenter(HlsConfig config, SegmentWindow window, ILogger logger, string stream, long nowTimestampMs)
    {
        _config = config;
        Window = window;
        _logger = logger;
        _stream = stream;
        _targetMs = config.TargetDurationMs;
        _jumps = new RepeatedLog(logger, LogLevel.Information, $"stream {stream}", "HLS timestamp jumps cut as discontinuities");
        // Program date-time: the wall clock that corresponds to media time zero on this timeline,
        // taking the newest frame as "now" (frames replayed from the log are in the past). With no
        // media yet (a negative "now"), the first segment's start is "now" when it comes.
        _wallClockAtZeroMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - nowTimestampMs;
        _newTimeline = nowTimestampMs < 0;
    }

    public SegmentWindow Window { get; }

    /// <summary>Takes one frame's TS packets.</summary>
    public void OnFrame(MediaFrame frame, SharedBuffer packets, bool streamHasVideo)
    {
        var at = frame.Timestamp;
        if (_lastMs != long.MinValue && Math.Abs(at - _lastMs) > TimestampJumpMs)
        {
            if (_jumps.ShouldLog())
            {
                StreamLog.Packaging(_logger, _stream, $"HLS: timestamp jumped {at - _lastMs} ms; cutting a discontinuity");
            }
            Complete(_lastMs);
            _discontinuityNext = true;
            _newTimeline = true;
            _lastMs = at;
        }
        var tables = BeginsWithTables(packets.Span);
        var cutPoint = tables && (streamHasVideo ? frame.IsVideoKeyFrame : frame.Kind == FrameKind.Audio);
        if (_current is null)
        {
            if (!cutPoint || !MayStartAt(at))
            {
                return;
            }
            Start(at);
        }
        else if (cutPoint && Bucket(at) > Bucket(_currentStartMs))
        {
            Complete(at);
            Start(at);
        }
        else if (tables && at - _currentStartMs >= _config.TargetDurationMs * MaxSegmentTargets)
        {
            StreamLog.Packaging(_logger, _stream, $"HLS: no keyframe for {at - _currentStartMs} ms; cutting a segment without one");
            Complete(at);
            Start(at);
        }
        _current!.Append(packets.Span);
        _lastMs = Math.Max(_lastMs, at);
    }

    /// <summary>
    /// Segments are cut at the first cut point after each multiple of the target in media time,
    /// so two nodes packaging the same stream cut (and number) them alike (DESIGN.md, principle
    /// 6). A node's very first segment therefore starts on such a boundary, never mid-way.
    /// </summary>
    private bool MayStartAt(long atMs)
    {
        if (_nextSequence >= 0)
        {
            // After a break the timeline is new anyway: start at once.
            return true;
        }
        _firstSeenBucket ??= Bucket(atMs);
        return atMs % _config.TargetDurationMs < BoundarySlackMs || Bucket(atMs) > _firstSeenBucket;
    }

    private long Bucket(long atMs) => Math.Max(0, atMs) / _config.TargetDurationMs;

    /// <summary>The timeline breaks here (a new publisher, a new codec config): the next segment starts fresh.</summary>
    public void Break()
    {
        if (_current is not null)
        {
            Complete(_lastMs);
        }
        _discontinuityNext = true;
        _newTimeline = true;
    }

    /// <summary>The stream ended: the open segment completes and the playlist gets its end.</summary>
    public void End()
    {
        _jumps.Flush();
        if (_current is not null)
        {
            Complete(_lastMs);
        }
        Window.End(_targetMs);
    }

    /// <summary>Packaging stops: drop the open segment and every stored one.</summary>
    public void Stop()
    {
        _current?.Dispose();
        _current = null;
        Window.Clear();
    }

    private void Start(long atMs)
    {
        // Numbers follow the boundaries (bucket index) from the first segment on; they stay
        // consecutive as HLS requires, so a keyframe interval longer than the target (a bucket
        // with no cut) shifts them from then on.
        _currentSequence = _nextSequence >= 0 ? _nextSequence : Bucket(atMs);
        _nextSequence = _currentSequence + 1;
        _currentStartMs = atMs;
        if (_newTimeline)
        {
            // After a break media time no longer follows the wall clock it did (a republish is moved
            // just after the last frame, whatever the pause): anchor the program date-time again.
            _newTimeline = false;
            _wallClockAtZeroMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - atMs;
        }
        _current = MemoryFileWriter.Create($"hls-{_currentSequence}");
    }

    private void Complete(long endMs)
    {
        var writer = _current;
        if (writer is null)
        {
            return;
        }
        _current = null;
        if (writer.Length == 0)
        {
            writer.Dispose();
            return;
        }
        // The last segment before an end or a break has no next frame: count at least one frame's time.
        var duration = Math.Max(endMs - _currentStartMs, 40);
        // The playlist's target only grows (RFC 8216: EXTINF rounded must not exceed it); the cut
        // threshold stays the configured one, so one long segment does not lengthen the rest.
        if ((duration + 500) / 1000 > (_targetMs + 500) / 1000)
        {
            StreamLog.Packaging(_logger, _stream, $"HLS: a {duration} ms segment is longer than the {_config.TargetDurationMs} ms target (keyframe interval too long); playlist target raised to {duration} ms");
            _targetMs = duration;
        }
        var file = writer.Complete();
        writer.Dispose();
        var segment = new HlsSegment(_currentSequence, _currentStartMs, duration, _discontinuityNext,
            DateTimeOffset.FromUnixTimeMilliseconds(_wallClockAtZeroMs + _currentStartMs), file);
        _discontinuityNext = false;
        Window.Add(segment, _targetMs);
    }

    /// <summary>True when the packets start with a PAT (PID 0, payload unit start).</summary>
    private static bool BeginsWithTables(ReadOnlySpan<byte> packets) =>
        packets.Length >= 188 && packets[0] == 0x47 && (packets[1] & 0x5F) == 0x40 && packets[2] == 0;
}
