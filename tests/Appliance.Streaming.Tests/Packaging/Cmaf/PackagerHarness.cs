using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Appliance.Streaming.Packaging.Cmaf;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>A wall clock the test moves, in milliseconds.</summary>
internal sealed class WallClock(long unixMs) : TimeProvider
{
    public long UnixMs { get; set; } = unixMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMs);
}

/// <summary>
/// A CMAF packager on its own, fed frames directly (as the stream feeds it, in order), with a wall
/// clock that runs with media time unless the test moves it (a pause): so program date-times and
/// DASH periods are exact. Segments of 2 s, parts of at most 300 ms (seven 25 fps frames).
/// </summary>
internal sealed class PackagerHarness : IDisposable
{
    public const long WallClockAtZero = 1_700_000_000_000;

    private readonly LoggerFactory _loggers;
    private double _nextAudioMs;
    private bool _hasVideo;

    public PackagerHarness(int windowSegments = 6, int extraSegments = 4, int minSegments = 3, int maxHeldRequests = 10_000, long cacheBytes = 512L * 1024 * 1024)
    {
        Logs = new LogCollector();
        _loggers = new LoggerFactory([Logs]);
        Cache = new SegmentCache(cacheBytes);
        var options = new CmafOptions(2000, 300, windowSegments, extraSegments, minSegments, maxHeldRequests, "cam/", "https://node.example/api/time");
        Packager = new CmafPackager(options, Cache, _loggers.CreateLogger("cmaf"), "default/live/cam", nowTimestampMs: -1, Clock);
    }

    public CmafPackager Packager { get; }

    public SegmentCache Cache { get; }

    public WallClock Clock { get; } = new(WallClockAtZero);

    public LogCollector Logs { get; }

    public Frames Frames { get; } = new();

    /// <summary>Added to the media time to get the wall clock: grows when the test pauses.</summary>
    public long WallOffset { get; set; } = WallClockAtZero;

    public void Feed(MediaFrame frame)
    {
        _hasVideo |= frame.Kind == FrameKind.Video;
        if (frame.IsMedia)
        {
            Clock.UnixMs = Math.Max(Clock.UnixMs, WallOffset + frame.Timestamp);
        }
        try
        {
            Packager.OnFrame(frame, _hasVideo);
        }
        finally
        {
            frame.Release();
        }
    }

    public void Headers(long ts = 0, bool video = true, bool audio = true)
    {
        if (video)
        {
            Feed(Frames.AvcSequenceHeader(ts));
        }
        if (audio)
        {
            Feed(Frames.AacSequenceHeader(ts));
        }
        _nextAudioMs = ts;
    }

    /// <summary>
    /// Video every 40 ms in [from, to), a keyframe on every whole second of media time (and first,
    /// with <paramref name="keyFirst"/>), with AAC at 44.1 kHz in between.
    /// </summary>
    public void Media(long fromMs, long toMs, bool audio = true, bool keyFirst = false, bool video = true)
    {
        _nextAudioMs = Math.Max(_nextAudioMs, fromMs);
        for (var ts = fromMs; ts < toMs; ts += 40)
        {
            for (; audio && _nextAudioMs < ts; _nextAudioMs += TsMedia.AacFrameMs)
            {
                Feed(TsMedia.Audio(Frames, (long)Math.Round(_nextAudioMs)));
            }
            if (video)
            {
                Feed(ts % 1000 == 0 || (keyFirst && ts == fromMs) ? TsMedia.KeyFrame(Frames, ts) : TsMedia.InterFrame(Frames, ts));
            }
        }
        for (; audio && _nextAudioMs < toMs; _nextAudioMs += TsMedia.AacFrameMs)
        {
            Feed(TsMedia.Audio(Frames, (long)Math.Round(_nextAudioMs)));
        }
    }

    public void Dispose()
    {
        Packager.Stop();
        _loggers.Dispose();
    }
}
