using Appliance.Streaming.Media;

namespace Appliance.Streaming.Streams;

/// <summary>Counters of what a stream has taken in, for the streams listing and the control socket.</summary>
public sealed class StreamStats
{
    private long _frames;
    private long _bytes;

    // The rate window: the publisher's thread alone updates it, once a second, from its own frames.
    private long _windowStartMs;
    private long _windowBytes;
    private long _windowVideoFrames;
    private long _bitsPerSecond;
    private long _fpsTimes100;
    private long _lastFrameMs;

    public long Frames => Interlocked.Read(ref _frames);

    public long Bytes => Interlocked.Read(ref _bytes);

    public string? VideoCodec { get; set; }

    public string? AudioCodec { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>
    /// The composition offset (presentation minus decode time, ms) of the newest video keyframe:
    /// the source's decode delay, which a transcoder gives its rungs so their keyframes fall on the
    /// same decode times (and so the same segment boundaries) as the source's.
    /// </summary>
    public int KeyFrameCompositionMs { get; set; }

    /// <summary>Ingest bit rate over the last full second (0 once the source has been silent for 2 s).</summary>
    public long BitsPerSecond => Core.Time.MonotonicClock.NowMs - Volatile.Read(ref _lastFrameMs) > 2000 ? 0 : Volatile.Read(ref _bitsPerSecond);

    /// <summary>Video frames per second over the last full second.</summary>
    public double FramesPerSecond => Core.Time.MonotonicClock.NowMs - Volatile.Read(ref _lastFrameMs) > 2000 ? 0 : Volatile.Read(ref _fpsTimes100) / 100.0;

    internal void OnFrame(MediaFrame frame)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, frame.Payload.Length);
        var video = frame.Kind == FrameKind.Video && !frame.IsSequenceHeader;
        var now = Core.Time.MonotonicClock.NowMs;
        Volatile.Write(ref _lastFrameMs, now);
        if (_windowStartMs == 0)
        {
            _windowStartMs = now;
        }
        _windowBytes += frame.Payload.Length;
        _windowVideoFrames += video ? 1 : 0;
        var elapsed = now - _windowStartMs;
        if (elapsed >= 1000)
        {
            Volatile.Write(ref _bitsPerSecond, _windowBytes * 8000 / elapsed);
            Volatile.Write(ref _fpsTimes100, _windowVideoFrames * 100_000 / elapsed);
            _windowStartMs = now;
            _windowBytes = 0;
            _windowVideoFrames = 0;
        }
    }
}
