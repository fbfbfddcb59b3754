using Appliance.Core.Time;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Streams;

/// <summary>
/// One live stream: at most one source, the current metadata and sequence headers, the frame log
/// (GOP cache and every viewer's queue), and the viewers. The source never waits for a viewer:
/// publishing appends to the log and wakes writers; each writer copies references out on its own
/// time. A source that leaves starts a grace period; a new source within it continues the same
/// timeline, so viewers see timestamps that keep increasing.
/// </summary>
/// <remarks>
/// About 1,300 lines over seven files (this one: source and frames; .Viewers: joining and
/// collecting; .Join: joining at the live edge; .Flush: when viewers are woken; .Packaging: TS
/// and HLS; .Cmaf: fMP4; .Renditions: what a rendition group reads), on purpose: one critical section under one lock
/// lets a publish and every viewer's collect run without copying. What has a life of its own is
/// apart: the timeline (<see cref="StreamTimeline"/>), the frame log, the packagers.
/// </remarks>
public sealed partial class LiveStream : IFrameSource, ITimelineSink
{
    private const int MaxLogEntries = 16384;
    private const long MaxLogBytes = 128L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly FrameLog _log = new(MaxLogEntries, MaxLogBytes);
    private readonly Action<LiveStream> _onEnded;
    private readonly Action<LiveStream> _onSourceChanged;
    private readonly ViewerSet _viewers = new();
    private int _forwarders;
    private MediaFrame? _metadata;
    private MediaFrame? _videoHeader;
    private MediaFrame? _audioHeader;
    private long _metadataSequence;
    private long _videoHeaderSequence;
    private long _audioHeaderSequence;
    private IStreamSource? _source;
    private Timer? _graceTimer;
    private bool _ended;
    private bool _mediaReleased;
    private readonly ILogger _logger;
    private readonly StreamTimeline _timeline;
    private TsPackager? _ts;
    private readonly SegmentCache _segmentCache;
    private readonly Packaging.Hls.HlsKeyring? _hlsKeys;

    internal LiveStream(StreamKey key, StreamingAppConfig app, FrameSerializer serializer, Action<LiveStream> onEnded, ILogger logger, SegmentCache segments, Action<LiveStream>? onSourceChanged = null, Packaging.Hls.HlsKeyring? hlsKeys = null)
    {
        _hlsKeys = hlsKeys;
        _onSourceChanged = onSourceChanged ?? (static _ => { });
        _logger = logger;
        _segmentCache = segments;
        Key = key;
        App = app;
        Serializer = serializer;
        _onEnded = onEnded;
        CreatedAtMs = MonotonicClock.NowMs;
        _timeline = new StreamTimeline(this, key.ToString(), logger);
    }

    public StreamKey Key { get; }

    public StreamingAppConfig App { get; }

    public FrameSerializer Serializer { get; }

    public long CreatedAtMs { get; }

    public StreamStats Stats { get; } = new();

    /// <summary>How many times the stream's source changed without a break in its timeline (failover to a parent of the same origin, a push reconnecting).</summary>
    public long SeamlessSourceChanges
    {
        get
        {
            lock (_lock)
            {
                return _timeline.SeamlessSourceChanges;
            }
        }
    }

    /// <summary>The newest audio or video timestamp viewers were given, on the stream's 64-bit timeline, or -1 before any.</summary>
    public long MediaTimeMs
    {
        get
        {
            lock (_lock)
            {
                return _timeline.LastTimestamp;
            }
        }
    }

    public bool HasVideo { get; private set; }

    public bool HasAudio { get; private set; }

    public bool IsEnded
    {
        get
        {
            lock (_lock)
            {
                return _ended;
            }
        }
    }

    public IStreamSource? Source
    {
        get
        {
            lock (_lock)
            {
                return _source;
            }
        }
    }

    public int ViewerCount
    {
        get
        {
            lock (_lock)
            {
                return _viewers.Count - _forwarders;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="source"/> the stream's source; false if another holds it (and takeover
    /// is off) or the stream has ended. A publisher here always takes over from a pull (the pulled
    /// copy comes from wherever the encoder was before it moved to this node); a pull never takes
    /// over anything.
    /// </summary>
    internal bool TryAttachSource(IStreamSource source, out IStreamSource? evicted)
    {
        evicted = null;
        lock (_lock)
        {
            if (_ended)
            {
                return false;
            }
            if (_source is not null)
            {
                // A pull never evicts anything: it only starts for a stream nobody publishes here.
                if (source.IsPull || !_source.IsPull && App.OnPublisherConflict != "takeover")
                {
                    return false;
                }
                evicted = _source;
            }
            _source = source;
            _timeline.BeginSourceChange(source.RelaysTimeline, source.IsTranscoded);
            BeginCatchUp(source);
            _graceTimer?.Dispose();
            _graceTimer = null;
        }
        evicted?.Kick("another publisher took over the stream");
        _onSourceChanged(this);
        return true;
    }

    /// <summary>Hands the stream from a placeholder source to the real one, without a rebase or a grace period; false if the placeholder was replaced meanwhile.</summary>
    public bool ReplaceSource(IStreamSource placeholder, IStreamSource source)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_source, placeholder))
            {
                _source = source;
                return true;
            }
            return false;
        }
    }

    /// <summary>
    /// The same source now delivers from somewhere else (an upstream pull moved to another parent).
    /// With <paramref name="mayContinue"/>, frames on the same timeline as before simply continue it
    /// (see LiveStream.Timeline.cs); otherwise the next frame is moved just after the last one viewers saw.
    /// </summary>
    public void Rebase(IStreamSource source, bool mayContinue = false)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_source, source))
            {
                _timeline.BeginSourceChange(mayContinue);
                BeginCatchUp(source);
            }
        }
    }

    /// <summary>The source has gone; viewers wait for a new one until the grace period ends.</summary>
    public void DetachSource(IStreamSource source)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_source, source) || _ended)
            {
                return;
            }
            _source = null;
            _timeline.BeginSourceChange(mayContinue: false);
            if (App.PublisherGraceMs > 0)
            {
                _graceTimer = new Timer(_ => EndIfNoSource(), null, App.PublisherGraceMs, Timeout.Infinite);
            }
        }
        _onSourceChanged(this);
        if (App.PublisherGraceMs <= 0)
        {
            End();
        }
    }

    private void EndIfNoSource()
    {
        lock (_lock)
        {
            if (_source is not null)
            {
                return;
            }
        }
        End();
    }

    /// <summary>Ends the stream now: viewers get what is queued, then end of stream.</summary>
    public void End() => End(null);

    /// <summary>Ends the stream if <paramref name="source"/> still feeds it: a source that was taken over leaves the stream to its successor.</summary>
    public void EndFrom(IStreamSource source) => End(source);

    private void End(IStreamSource? onlyFrom)
    {
        IStreamSource? source;
        bool noViewers;
        lock (_lock)
        {
            if (_ended || onlyFrom is not null && !ReferenceEquals(_source, onlyFrom))
            {
                return;
            }
            _ended = true;
            source = _source;
            _source = null;
            _timeline.ReleaseHeld();
            _graceTimer?.Dispose();
            _graceTimer = null;
            _hls?.End();
            _cmaf?.End();
            _ts?.FlushLogs();
            NotifyViewers();
            noViewers = _viewers.Count == 0;
        }
        source?.Kick("stream ended");
        _onEnded(this);
        if (noViewers)
        {
            ReleaseMedia();
        }
    }

    /// <summary>
    /// How much media the log keeps: enough for a lagging viewer to catch up, and, where HLS may
    /// start on demand, about four targets, so its first playlist already lists a few segments and
    /// players start with a buffer instead of at the live edge.
    /// </summary>
    private int RetentionMs => App.Hls.Enabled || App.Cmaf.Enabled ? Math.Max(App.MaxViewerLagMs, App.Hls.TargetDurationMs * 4) : App.MaxViewerLagMs;

    /// <summary>
    /// Appends a frame from <paramref name="source"/> (timestamp on the source's own 64-bit
    /// timeline) and wakes the viewers. Takes over the caller's reference to the frame.
    /// </summary>
    public void Publish(IStreamSource source, MediaFrame frame)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_source, source))
            {
                frame.Release();
                return;
            }
            _timeline.Offer(frame);
        }
    }

    long ITimelineSink.TimestampWrapMs => _source?.TimestampWrapMs ?? 1L << 32;

    void ITimelineSink.Break()
    {
        _hls?.Break();
        _cmaf?.Break();
    }

    /// <summary>Puts a frame placed on the timeline into the packagers and the log, and wakes the viewers (or leaves that to the flush ticker).</summary>
    void ITimelineSink.Append(MediaFrame frame)
    {
        RememberHeader(frame);
        NotePace(frame);
        Stats.OnFrame(frame);
        PackageLocked(frame);
        PackageCmafLocked(frame);
        _log.Append(frame);
        var keepFrom = App.GopCache && _log.LastKeyFrame >= 0 ? _log.LastKeyFrame : _log.Head;
        _log.Trim(keepFrom, RetentionMs);
        WakeViewersAfterAppend();
    }

    bool ITimelineSink.IsKnownHeader(MediaFrame frame)
    {
        var current = frame.Kind switch
        {
            FrameKind.Video => _videoHeader,
            FrameKind.Audio => _audioHeader,
            _ => (frame.Flags & FrameFlags.Metadata) != 0 ? _metadata : null,
        };
        return current is not null && current.Payload.Span.SequenceEqual(frame.Payload.Span);
    }

    /// <summary>Keeps the newest metadata and sequence headers, and where in the log each was appended.</summary>
    private void RememberHeader(MediaFrame frame)
    {
        var sequence = _log.Head;
        if (frame.Kind == FrameKind.Video)
        {
            HasVideo = true;
            if (frame.IsSequenceHeader)
            {
                if (_videoHeader is not null && !_videoHeader.Payload.Span.SequenceEqual(frame.Payload.Span))
                {
                    // New codec configuration (say, a new resolution): HLS players must reset their decoder.
                    _hls?.Break();
                }
                Replace(ref _videoHeader, ref _videoHeaderSequence, frame, sequence);
                NoteFormat(frame);
            }
        }
        else if (frame.Kind == FrameKind.Audio)
        {
            HasAudio = true;
            if (frame.IsSequenceHeader)
            {
                Replace(ref _audioHeader, ref _audioHeaderSequence, frame, sequence);
                NoteFormat(frame);
            }
        }
        else if ((frame.Flags & FrameFlags.Metadata) != 0)
        {
            Replace(ref _metadata, ref _metadataSequence, frame, sequence);
        }
    }

    private static void Replace(ref MediaFrame? slot, ref long slotSequence, MediaFrame frame, long sequence)
    {
        slot?.Release();
        slot = frame.AddRef();
        slotSequence = sequence;
    }

    /// <summary>Frees the log and headers once the stream has ended and no viewer is left.</summary>
    private void ReleaseMedia()
    {
        lock (_lock)
        {
            if (_mediaReleased)
            {
                return;
            }
            _mediaReleased = true;
            _timeline.ReleaseHeld();
            _log.Clear();
            _metadata?.Release();
            _videoHeader?.Release();
            _audioHeader?.Release();
            _metadata = _videoHeader = _audioHeader = null;
        }
    }
}
