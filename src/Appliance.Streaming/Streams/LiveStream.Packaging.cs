using Appliance.Core.Time;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging;
using Appliance.Streaming.Packaging.Hls;

namespace Appliance.Streaming.Streams;

/// <summary>The stream's TS packaging (HTTP-TS, HLS) and its HLS segmenter.</summary>
public sealed partial class LiveStream
{
    private HlsSegmenter? _hls;

    // HLS encryption is on but the node has no key secret: nothing is packaged (never clear segments).
    private bool _hlsKeyMissing;

    /// <summary>Someone watches: a connected viewer, or an HLS, CMAF or DASH player that asked within the last 10 s.</summary>
    public bool IsWatched => ViewerCount > 0 || MonotonicClock.NowMs - Volatile.Read(ref _lastHlsRequestMs) < 10_000 || CmafWatched;

    private long _lastHlsRequestMs;

    /// <summary>
    /// Starts MPEG-TS packaging if it is not running: the muxer takes the current sequence headers,
    /// then packages the frames the log holds from its oldest keyframe on, so a TS viewer can start at once.
    /// </summary>
    public void EnsureTsPackaging()
    {
        lock (_lock)
        {
            EnsureTsPackagingLocked();
        }
    }

    private void EnsureTsPackagingLocked()
    {
        if (_ts is not null || _ended)
        {
            return;
        }
        _ts = new TsPackager(_logger, Key.ToString());
        // From the oldest keyframe the log holds: TS viewers start at the GOP cache's keyframe, and
        // HLS can cut a few segments of history at once. TS is stateful, so it runs in order, once.
        var from = OldestKeyFrameLocked();
        // Headers the log still holds at or after `from` are packaged in their turn.
        foreach (var (header, sequence) in new[] { (_videoHeader, _videoHeaderSequence), (_audioHeader, _audioHeaderSequence) })
        {
            if (header is not null && sequence < from)
            {
                _ts.Package(header);
            }
        }
        for (var sequence = from; sequence < _log.Head; sequence++)
        {
            _ts.Package(_log[sequence]);
        }
    }

    /// <summary>
    /// The stream's HLS segments and playlist, starting the segmenter if it is not running (it
    /// begins at the GOP cache's keyframe, so the first segment completes within one target
    /// duration). Null when the app has HLS off. Every call counts as HLS demand.
    /// </summary>
    public SegmentWindow? RequestHls()
    {
        lock (_lock)
        {
            _lastHlsRequestMs = MonotonicClock.NowMs;
            if (_hls is not null || !App.Hls.Enabled)
            {
                return _hls?.Window;
            }
            if (_ended || !StartHlsLocked())
            {
                return null;
            }
            return _hls!.Window;
        }
    }

    /// <summary>The segment window if HLS is packaged (or was, until the stream ended), without starting it.</summary>
    public SegmentWindow? HlsWindow
    {
        get
        {
            lock (_lock)
            {
                _lastHlsRequestMs = MonotonicClock.NowMs;
                return _hls?.Window;
            }
        }
    }

    private bool StartHlsLocked()
    {
        SegmentEncryptor? encryptor = null;
        var encryption = App.Hls.Encryption;
        if (encryption.Enabled)
        {
            if (_hlsKeys is null)
            {
                if (!_hlsKeyMissing)
                {
                    Logging.StreamLog.Packaging(_logger, Key.ToString(), "HLS: hls.encryption is on but the node has no security.hlsKeySecret; HLS is not served");
                }
                _hlsKeyMissing = true;
                return false;
            }
            encryptor = new SegmentEncryptor(_hlsKeys, Key.ToString(), encryption.RotateEverySegments);
        }
        EnsureTsPackagingLocked();
        // Start at the oldest keyframe the log still holds (it keeps a few seconds for slow
        // viewers), so a player's first playlist already lists a few segments to buffer.
        var from = OldestKeyFrameLocked();
        var prefix = Uri.EscapeDataString(Key.Name) + "/";
        var window = new SegmentWindow(_segmentCache, prefix, App.Hls.WindowSegments, App.Hls.ExtraSegments, App.Hls.MinSegments,
            encryptor is null ? 0 : encryption.RotateEverySegments);
        _hls = new HlsSegmenter(App.Hls, window, _logger, Key.ToString(), _timeline.LastTimestamp, encryptor);
        for (var sequence = from; sequence < _log.Head; sequence++)
        {
            var frame = _log[sequence];
            if (frame.PackagedTs is { } packets)
            {
                _hls.OnFrame(frame, packets, HasVideo);
            }
        }
        return true;
    }

    private long OldestKeyFrameLocked()
    {
        for (var sequence = _log.Tail; sequence < _log.Head; sequence++)
        {
            if (_log[sequence].IsVideoKeyFrame)
            {
                return sequence;
            }
        }
        return HasVideo ? _log.Head : _log.Tail;
    }

    /// <summary>Packages a frame being published (under the lock, in order) and feeds the segmenter.</summary>
    private void PackageLocked(MediaFrame frame)
    {
        if (_hls is null && App.Hls.Enabled && App.Hls.Always && !_ended && !_hlsKeyMissing)
        {
            StartHlsLocked();
        }
        if (_ts is null)
        {
            return;
        }
        var packets = _ts.Package(frame);
        if (_hls is null)
        {
            return;
        }
        if (!App.Hls.Always && MonotonicClock.NowMs - _lastHlsRequestMs > App.Hls.IdleStopMs)
        {
            // Nobody has asked for HLS for a while: stop cutting segments until someone does.
            _hls.Stop();
            _hls = null;
            return;
        }
        if (packets is not null)
        {
            _hls.OnFrame(frame, packets, HasVideo);
        }
    }

    /// <summary>Frees the HLS segments of an ended stream once players have had time to read its end.</summary>
    internal void DropHls()
    {
        lock (_lock)
        {
            _hls?.Stop();
            _hls = null;
        }
    }
}
