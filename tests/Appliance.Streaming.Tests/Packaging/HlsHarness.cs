using System.Reflection;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>
/// One stream in its own registry and segment cache, fed synthetic media in publish order
/// (video at 25 fps, AAC at 44.1 kHz, interleaved by timestamp), with the logs kept.
/// </summary>
internal sealed class HlsHarness : IDisposable
{
    private readonly LoggerFactory _loggers;
    private double _nextAudioMs;

    public HlsHarness(Action<StreamingAppConfig>? configure = null, long cacheBytes = 512L * 1024 * 1024, HlsKeyring? keys = null)
    {
        App = new StreamingAppConfig();
        configure?.Invoke(App);
        Logs = new LogCollector();
        _loggers = new LoggerFactory([Logs]);
        Cache = new SegmentCache(cacheBytes);
        Registry = new StreamRegistry(new FrameSerializer(4096), _loggers.CreateLogger("streams"), Cache) { HlsKeys = keys };
        Source = new TestSource("synthetic publisher");
        Assert.Equal(PublishOutcome.Started, Registry.TryPublish(Key, App, Source, out var stream));
        Stream = stream;
    }

    public static StreamKey Key { get; } = new("default", "live", "cam");

    public StreamingAppConfig App { get; }

    public LogCollector Logs { get; }

    public SegmentCache Cache { get; }

    public StreamRegistry Registry { get; }

    public TestSource Source { get; private set; }

    public LiveStream Stream { get; }

    public Frames Frames { get; } = new();

    /// <summary>The newest timestamp published so far (video or audio).</summary>
    public long LastTimestamp { get; private set; } = -1;

    /// <summary>Every audio and video frame published (not headers), with its timestamp as published.</summary>
    public List<(FrameKind Kind, long Timestamp, bool Key)> Published { get; } = [];

    public void Publish(MediaFrame frame)
    {
        LastTimestamp = Math.Max(LastTimestamp, frame.Timestamp);
        if (frame.IsMedia)
        {
            Published.Add((frame.Kind, frame.Timestamp, frame.IsKeyFrame));
        }
        Stream.Publish(Source, frame);
    }

    /// <summary>The publisher drops and a new one takes the stream (within the grace period).</summary>
    public void Republish()
    {
        Stream.DetachSource(Source);
        Source = new TestSource("second publisher");
        Assert.Equal(PublishOutcome.Started, Registry.TryPublish(Key, App, Source, out var again));
        Assert.Same(Stream, again);
    }

    /// <summary>The AVC and AAC sequence headers an encoder sends first.</summary>
    public void PublishHeaders(long ts = 0, bool video = true, bool audio = true)
    {
        if (video)
        {
            Publish(Frames.AvcSequenceHeader(ts));
        }
        if (audio)
        {
            Publish(Frames.AacSequenceHeader(ts));
        }
        _nextAudioMs = ts;
    }

    /// <summary>
    /// Video frames every 40 ms in [<paramref name="fromMs"/>, <paramref name="toMs"/>), a keyframe
    /// wherever <paramref name="isKey"/> says (default: every <paramref name="keyIntervalMs"/>),
    /// with audio in between when <paramref name="audio"/>.
    /// </summary>
    public void PublishMedia(long fromMs, long toMs, int keyIntervalMs = 1000, bool audio = true, Func<long, bool>? isKey = null)
    {
        isKey ??= ts => ts % keyIntervalMs == 0;
        if (_nextAudioMs < fromMs)
        {
            _nextAudioMs = fromMs;
        }
        for (var ts = fromMs; ts < toMs; ts += 40)
        {
            if (audio)
            {
                PublishAudioUntil(ts);
            }
            Publish(isKey(ts) ? TsMedia.KeyFrame(Frames, ts) : TsMedia.InterFrame(Frames, ts));
        }
        if (audio)
        {
            PublishAudioUntil(toMs);
        }
    }

    /// <summary>AAC frames only, from <paramref name="fromMs"/> up to <paramref name="toMs"/>.</summary>
    public void PublishAudioOnly(long fromMs, long toMs)
    {
        if (_nextAudioMs < fromMs)
        {
            _nextAudioMs = fromMs;
        }
        PublishAudioUntil(toMs);
    }

    private void PublishAudioUntil(long beforeMs)
    {
        while (_nextAudioMs < beforeMs)
        {
            Publish(TsMedia.Audio(Frames, (long)Math.Round(_nextAudioMs)));
            _nextAudioMs += TsMedia.AacFrameMs;
        }
    }

    /// <summary>The current playlist of <paramref name="window"/>, parsed and checked against RFC 8216's rules.</summary>
    public static MediaPlaylist Playlist(SegmentWindow window) => MediaPlaylist.Parse(window.Playlist);

    /// <summary>
    /// The stream's TS packager, read through reflection: its counters are not exposed. Fails with
    /// a clear message if the field is renamed, rather than passing vacuously.
    /// </summary>
    public TsPackager TsPackager
    {
        get
        {
            var tsField = typeof(LiveStream).GetField("_ts", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("LiveStream has no _ts field any more: update the test helper");
            return (TsPackager?)tsField.GetValue(Stream) ?? throw new InvalidOperationException("TS packaging is not running");
        }
    }

    public void Dispose()
    {
        Stream.End();
        Stream.DropHls();
        Stream.DropCmaf();
        _loggers.Dispose();
    }
}
