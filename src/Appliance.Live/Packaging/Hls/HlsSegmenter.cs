using Appliance.Core.Buffers;
using Appliance.Live.Config;
using Appliance.Live.Logging;
using Appliance.Live.Media;
using Appliance.Transport.Files;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Packaging.Hls;

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

    private readonly HlsConfig _config;
    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly long _wallClockAtZeroMs;
    private MemoryFileWriter? _current;
    private long _currentStartMs;
    private long _currentSequence;
    private long _nextSequence = -1;
    private long _lastMs = long.MinValue;
    private long _targetMs;
    private bool _discontinuityNext;

    public HlsSegmenter(HlsConfig config, SegmentWindow window, ILogger logger, string stream, long nowTimestampMs)
    {
        _config = config;
        Window = window;
        _logger = logger;
        _stream = stream;
        _targetMs = config.TargetDurationMs;
        // Program date-time: the wall clock that corresponds to media time zero on this timeline,
        // taking the newest frame as "now" (frames replayed from the log are in the past).
        _wallClockAtZeroMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - nowTimestampMs;
    }

    public SegmentWindow Window { get; }

    public long TargetDurationMs => _targetMs;

    /// <summary>Takes one frame's TS packets.</summary>
    public void OnFrame(MediaFrame frame, SharedBuffer packets, bool streamHasVideo)
    {
        var at = frame.Timestamp;
        if (_lastMs != long.MinValue && Math.Abs(at - _lastMs) > TimestampJumpMs)
        {
            LiveLog.FrameDropped(_logger, _stream, $"HLS: timestamp jumped {at - _lastMs} ms; cutting a discontinuity");
            Complete(_lastMs);
            _discontinuityNext = true;
        }
        var cutPoint = BeginsWithTables(packets.Span) && (streamHasVideo ? frame.IsVideoKeyFrame : frame.Kind == FrameKind.Audio);
        if (_current is null)
        {
            if (!cutPoint)
            {
                return;
            }
            Start(at);
        }
        else if (at - _currentStartMs >= _targetMs && cutPoint)
        {
            Complete(at);
            Start(at);
        }
        else if (at - _currentStartMs >= _targetMs * MaxSegmentTargets && frame.Kind == FrameKind.Video)
        {
            LiveLog.FrameDropped(_logger, _stream, $"HLS: no keyframe for {at - _currentStartMs} ms; cutting a segment without one");
            Complete(at);
            _discontinuityNext = true;
            Start(at);
        }
        _current!.Append(packets.Span);
        _lastMs = Math.Max(_lastMs, at);
    }

    /// <summary>The timeline breaks here (a new publisher, a new codec config): the next segment starts fresh.</summary>
    public void Break()
    {
        if (_current is not null)
        {
            Complete(_lastMs);
        }
        _discontinuityNext = true;
    }

    /// <summary>The stream ended: the open segment completes and the playlist gets its end.</summary>
    public void End()
    {
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
        _currentSequence = _nextSequence >= 0 ? _nextSequence : Math.Max(0, atMs / _config.TargetDurationMs);
        _nextSequence = _currentSequence + 1;
        _currentStartMs = atMs;
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
        if (duration > _targetMs)
        {
            var raised = (duration + 999) / 1000 * 1000;
            LiveLog.FrameDropped(_logger, _stream, $"HLS: a {duration} ms segment is longer than the {_targetMs} ms target (keyframe interval too long); target raised to {raised} ms");
            _targetMs = raised;
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
