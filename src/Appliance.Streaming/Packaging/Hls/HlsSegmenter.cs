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

    private readonly HlsConfig _config;
    private readonly ILogger _logger;
    private readonly string _stream;

    // A source whose timestamps jump back and forth would cut (and log) one with every frame.
    private readonly RepeatedLog _jumps;
    private readonly SegmentNumbering _numbering;

    // Null for clear segments; else each segment is encrypted as it is written.
    private readonly SegmentEncryptor? _encryptor;
    private long _currentClearBytes;
    private long _wallClockAtZeroMs;
    private bool _newTimeline;
    private MemoryFileWriter? _current;
    private long _currentStartMs;
    private long _currentSequence;
    private int _currentVideoFrames;
    private long _lastMs = long.MinValue;
    private long _targetMs;
    private bool _discontinuityNext;

    public HlsSegmenter(HlsConfig config, SegmentWindow window, ILogger logger, string stream, long nowTimestampMs, SegmentEncryptor? encryptor = null)
    {
        _encryptor = encryptor;
        _config = config;
        Window = window;
        _logger = logger;
        _stream = stream;
        _targetMs = config.TargetDurationMs;
        _numbering = new SegmentNumbering(config.TargetDurationMs);
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
        if (SegmentNumbering.IsJump(_lastMs, at))
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
            if (!cutPoint || !_numbering.MayStartAt(at))
            {
                return;
            }
            Start(at);
        }
        else if (cutPoint && _numbering.EndsSegment(_currentStartMs, at))
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
        if (_encryptor is null)
        {
            _current!.Append(packets.Span);
        }
        else
        {
            _encryptor.Append(packets.Span, _current!);
        }
        _currentClearBytes += packets.Length;
        if (frame.Kind == FrameKind.Video && !frame.IsSequenceHeader)
        {
            _currentVideoFrames++;
        }
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
        _encryptor?.Dispose();
        Window.Clear();
    }

    private void Start(long atMs)
    {
        // Cut and numbered by the rule the CMAF packager shares (SegmentNumbering).
        _currentSequence = _numbering.Take(atMs);
        _currentStartMs = atMs;
        _currentVideoFrames = 0;
        if (_newTimeline)
        {
            // After a break media time no longer follows the wall clock it did (a republish is moved
            // just after the last frame, whatever the pause): anchor the program date-time again.
            _newTimeline = false;
            _wallClockAtZeroMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - atMs;
        }
        _current = MemoryFileWriter.Create($"hls-{_currentSequence}");
        _currentClearBytes = 0;
        _encryptor?.Begin(_currentSequence);
    }

    private void Complete(long endMs)
    {
        var writer = _current;
        if (writer is null)
        {
            return;
        }
        _current = null;
        if (_currentClearBytes == 0)
        {
            writer.Dispose();
            return;
        }
        _encryptor?.Finish(writer);
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
            DateTimeOffset.FromUnixTimeMilliseconds(_wallClockAtZeroMs + _currentStartMs), file)
        {
            VideoFrames = _currentVideoFrames,
        };
        _discontinuityNext = false;
        Window.Add(segment, _targetMs);
    }

    /// <summary>True when the packets start with a PAT (PID 0, payload unit start).</summary>
    private static bool BeginsWithTables(ReadOnlySpan<byte> packets) =>
        packets.Length >= 188 && packets[0] == 0x47 && (packets[1] & 0x5F) == 0x40 && packets[2] == 0;
}
