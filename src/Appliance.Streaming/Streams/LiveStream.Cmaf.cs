using Appliance.Core.Time;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Streams;

/// <summary>The stream's CMAF packaging (fMP4 HLS, LL-HLS, DASH), started on demand like HLS.</summary>
public sealed partial class LiveStream
{
    private CmafPackager? _cmaf;
    private long _lastCmafRequestMs;

    /// <summary>
    /// The stream's CMAF packager, starting it if it is not running (from the oldest keyframe the
    /// frame log holds, so the first playlists already list segments). Null when the app has CMAF
    /// off, or the stream ended before it was packaged. Every call counts as demand (IsWatched,
    /// the idle stop). <paramref name="utcTimingUrl"/> is the node's time source that the MPDs
    /// name (UTCTiming); the packager keeps the first caller's.
    /// </summary>
    public CmafPackager? RequestCmaf(string? utcTimingUrl = null)
    {
        lock (_lock)
        {
            _lastCmafRequestMs = MonotonicClock.NowMs;
            if (_cmaf is not null || !App.Cmaf.Enabled || _ended)
            {
                return _cmaf;
            }
            StartCmafLocked(utcTimingUrl);
            return _cmaf;
        }
    }

    /// <summary>The packager if CMAF is packaged (or was, until the stream ended), without starting it; counts as demand.</summary>
    public CmafPackager? Cmaf
    {
        get
        {
            lock (_lock)
            {
                _lastCmafRequestMs = MonotonicClock.NowMs;
                return _cmaf;
            }
        }
    }

    internal bool IsCmafPackaged
    {
        get
        {
            lock (_lock)
            {
                return _cmaf is not null;
            }
        }
    }

    private bool CmafWatched => MonotonicClock.NowMs - Volatile.Read(ref _lastCmafRequestMs) < 10_000;

    private void StartCmafLocked(string? utcTimingUrl)
    {
        var prefix = Uri.EscapeDataString(Key.Name) + "/";
        var options = CmafOptions.From(App, prefix, utcTimingUrl);
        _cmaf = new CmafPackager(options, _segmentCache, _logger, Key.ToString(), _timeline.LastTimestamp);
        // Frames are muxed once, in publish order: the headers in effect at the oldest keyframe,
        // then the log from there (headers it still holds are fed in their turn).
        var from = OldestKeyFrameLocked();
        foreach (var (header, sequence) in new[] { (_videoHeader, _videoHeaderSequence), (_audioHeader, _audioHeaderSequence) })
        {
            if (header is not null && sequence < from)
            {
                _cmaf.OnFrame(header, HasVideo);
            }
        }
        for (var sequence = from; sequence < _log.Head; sequence++)
        {
            _cmaf.OnFrame(_log[sequence], HasVideo);
        }
    }

    /// <summary>Feeds a frame being published (under the lock, in order); stops on-demand packaging nobody asked for lately.</summary>
    private void PackageCmafLocked(MediaFrame frame)
    {
        if (_cmaf is null)
        {
            return;
        }
        if (MonotonicClock.NowMs - _lastCmafRequestMs > App.Hls.IdleStopMs)
        {
            _cmaf.Stop();
            _cmaf = null;
            return;
        }
        _cmaf.OnFrame(frame, HasVideo);
    }

    /// <summary>Frees the CMAF segments of an ended stream once players have had time to read its end.</summary>
    internal void DropCmaf()
    {
        lock (_lock)
        {
            _cmaf?.Stop();
            _cmaf = null;
        }
    }
}
