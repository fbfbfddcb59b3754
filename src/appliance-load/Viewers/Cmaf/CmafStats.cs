using System.Diagnostics;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Cmaf;

/// <summary>
/// What one LL-HLS or DASH player saw, beyond <see cref="ViewerStats"/>. Such a player runs a few
/// loops at once (playlist and parts per track, or MPD and a segment loop per track), so counters
/// are added atomically; each track's gaps are kept by the loop that reads it.
/// </summary>
internal sealed class CmafStats
{
    private readonly Lock _lock = new();
    private readonly List<MediaGap> _gaps = new(2);
    private long _manifestRequests;
    private long _blockingReloads;
    private long _mediaRequests;
    private long _hintRequests;
    private long _fragments;
    private long _mediaBytes;
    private long _nonOk;
    private long _timeouts;
    private long _connectionErrors;
    private long _hintsNotMade;
    private long _skipped;
    private long _malformed;
    private string? _firstFailure;
    private string? _firstMalformed;

    /// <summary>Playlist or MPD requests, blocking reloads included.</summary>
    public long ManifestRequests => Volatile.Read(ref _manifestRequests);

    /// <summary>LL-HLS: playlist requests with _HLS_msn (and _HLS_part).</summary>
    public long BlockingReloads => Volatile.Read(ref _blockingReloads);

    /// <summary>Part, segment and init requests.</summary>
    public long MediaRequests => Volatile.Read(ref _mediaRequests);

    /// <summary>LL-HLS: part requests for the preload hint (held by the node until the part exists).</summary>
    public long HintRequests => Volatile.Read(ref _hintRequests);

    /// <summary>CMAF chunks (moof + mdat) received whole: LL-HLS parts, DASH chunks of segments.</summary>
    public long Fragments => Volatile.Read(ref _fragments);

    /// <summary>Bytes of the part and segment bodies (not the inits, playlists or MPDs).</summary>
    public long MediaBytes => Volatile.Read(ref _mediaBytes);

    public long NonOkResponses => Volatile.Read(ref _nonOk);

    public long Timeouts => Volatile.Read(ref _timeouts);

    public long ConnectionErrors => Volatile.Read(ref _connectionErrors);

    public long Failures => NonOkResponses + Timeouts + ConnectionErrors;

    /// <summary>LL-HLS: hinted parts answered 404 because their segment ended first (players expect that; not a failure).</summary>
    public long HintsNotMade => Volatile.Read(ref _hintsNotMade);

    /// <summary>Parts (LL-HLS) or segments (DASH) that left the window before this player got to them.</summary>
    public long Skipped => Volatile.Read(ref _skipped);

    public long Malformed => Volatile.Read(ref _malformed);

    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    public string? FirstMalformed => Volatile.Read(ref _firstMalformed);

    /// <summary>DASH: the MPD announced segments still being made (availabilityTimeComplete="false"). LL-HLS: always.</summary>
    public bool LowLatency { get; set; }

    /// <summary>TCP connections opened, over the player's loops (each keeps one while it can).</summary>
    public int Connections { get; set; }

    /// <summary>From the start of the connect to the first playlist or MPD in full; -1 if none.</summary>
    public double FirstManifestMs { get; set; } = -1;

    /// <summary>Times a track went more than a target duration without new media (two for whole segments: <see cref="MediaGap"/>).</summary>
    public int Stalls
    {
        get
        {
            lock (_lock)
            {
                return _gaps.Sum(g => g.Stalls);
            }
        }
    }

    /// <summary>The longest time a track went without new media once it flowed.</summary>
    public double LongestGapMs
    {
        get
        {
            lock (_lock)
            {
                return _gaps.Count == 0 ? 0 : _gaps.Max(g => g.LongestMs);
            }
        }
    }

    /// <summary>A track's gap keeper, for the loop that reads the track.</summary>
    public MediaGap NewTrack()
    {
        var gap = new MediaGap(LowLatency);
        lock (_lock)
        {
            _gaps.Add(gap);
        }
        return gap;
    }

    public void OnManifestRequest(bool blocking)
    {
        Interlocked.Increment(ref _manifestRequests);
        if (blocking)
        {
            Interlocked.Increment(ref _blockingReloads);
        }
    }

    public void OnMediaRequest(bool hint)
    {
        Interlocked.Increment(ref _mediaRequests);
        if (hint)
        {
            Interlocked.Increment(ref _hintRequests);
        }
    }

    public void OnMediaBody(long bytes, int fragments)
    {
        Interlocked.Add(ref _mediaBytes, bytes);
        Interlocked.Add(ref _fragments, fragments);
    }

    public void OnHintNotMade() => Interlocked.Increment(ref _hintsNotMade);

    public void OnSkipped(long count) => Interlocked.Add(ref _skipped, count);

    public void OnFailure(string what, HttpGetResult result)
    {
        if (result.TimedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }
        else if (result.Status is > 0 and not 200)
        {
            Interlocked.Increment(ref _nonOk);
        }
        else
        {
            Interlocked.Increment(ref _connectionErrors);
        }
        if (Volatile.Read(ref _firstFailure) is null)
        {
            Interlocked.CompareExchange(ref _firstFailure, $"{what}: {result.Describe()}", null);
        }
    }

    public void OnMalformed(string what)
    {
        Interlocked.Increment(ref _malformed);
        Interlocked.CompareExchange(ref _firstMalformed, what, null);
    }

    /// <summary>The player stopped: each track's open gap is closed.</summary>
    public void OnEnd()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            foreach (var gap in _gaps)
            {
                gap.OnEnd(now);
            }
        }
    }
}
