namespace Appliance.Streaming.Packaging.Hls;

/// <summary>
/// One stream's segments and its current playlist, published as an immutable snapshot: a request
/// reads the snapshot without a lock and pins the segment it wants (TryAddRef fails on a segment
/// being freed), while the segmenter swaps in a new snapshot each time a segment completes.
/// Segments stay a little after they leave the playlist, for players that are behind.
/// </summary>
public sealed class SegmentWindow
{
    private readonly SegmentCache _cache;
    private readonly string _segmentPrefix;
    private readonly int _listed;
    private readonly int _extra;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _minSegments;
    private readonly int _keyRotation;
    private volatile Snapshot _snapshot;
    private long _discontinuitySequence;

    /// <param name="keyRotation">Segments per AES-128 key when the segments are encrypted, else 0.</param>
    public SegmentWindow(SegmentCache cache, string segmentPrefix, int listedSegments, int extraSegments, int minSegments = 1, int keyRotation = 0)
    {
        _keyRotation = keyRotation;
        _minSegments = Math.Clamp(minSegments, 1, listedSegments);
        _cache = cache;
        _segmentPrefix = segmentPrefix;
        _listed = listedSegments;
        _extra = extraSegments;
        _snapshot = new Snapshot([], [], false);
    }

    /// <summary>Completes when the playlist is ready to serve (a player asking early waits for it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The playlist lists enough segments for a player to start with a buffer.</summary>
    public bool IsReady => _snapshot.Segments.Length >= _minSegments || _snapshot.Ended;

    public bool HasPlaylist => _snapshot.Segments.Length > 0;

    public bool Ended => _snapshot.Ended;

    /// <summary>The playlist bytes, rebuilt when a segment completes (never per request).</summary>
    public byte[] Playlist => _snapshot.Playlist;

    public IReadOnlyList<HlsSegment> Segments => _snapshot.Segments;

    /// <summary>Pins segment <paramref name="sequence"/> for sending; the caller releases its file.</summary>
    public bool TryPin(long sequence, out HlsSegment segment)
    {
        var segments = _snapshot.Segments;
        if (segments.Length > 0)
        {
            var index = sequence - segments[0].Sequence;
            if (index >= 0 && index < segments.Length && segments[index].Sequence == sequence && segments[index].File.TryAddRef())
            {
                segment = segments[index];
                _cache.Hit();
                return true;
            }
        }
        segment = null!;
        _cache.Miss();
        return false;
    }

    /// <summary>Adds a completed segment and rebuilds the playlist. Called by the stream's segmenter only.</summary>
    internal void Add(HlsSegment segment, long targetDurationMs)
    {
        var old = _snapshot;
        var keep = new List<HlsSegment>(old.Segments.Length + 1);
        keep.AddRange(old.Segments);
        keep.Add(segment);
        _cache.Added(segment.File.Length);
        var evicted = new List<HlsSegment>();
        // Keep the listed window plus the extras; under node-wide memory pressure, give up the extras first.
        var limit = _listed + (_cache.IsOverCap ? 0 : _extra);
        while (keep.Count > limit)
        {
            evicted.Add(keep[0]);
            keep.RemoveAt(0);
        }
        Publish(keep.ToArray(), targetDurationMs, ended: false);
        foreach (var gone in evicted)
        {
            _cache.Removed(gone.File.Length, evicted: true);
            gone.File.Release();
        }
        if (IsReady)
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>The stream has ended: the playlist gets EXT-X-ENDLIST.</summary>
    internal void End(long targetDurationMs)
    {
        Publish(_snapshot.Segments, targetDurationMs, ended: true);
        _ready.TrySetResult();
    }

    /// <summary>Frees every segment (packaging stopped, or the stream is gone).</summary>
    internal void Clear()
    {
        var old = _snapshot;
        _snapshot = new Snapshot([], [], old.Ended);
        foreach (var segment in old.Segments)
        {
            _cache.Removed(segment.File.Length, evicted: false);
            segment.File.Release();
        }
    }

    private void Publish(HlsSegment[] segments, long targetDurationMs, bool ended)
    {
        var firstListed = Math.Max(0, segments.Length - _listed);
        var previous = _snapshot.Segments;
        // Discontinuities that scrolled off the top are counted, as EXT-X-DISCONTINUITY-SEQUENCE requires.
        if (previous.Length > 0)
        {
            var previousFirstListed = previous[Math.Max(0, previous.Length - _listed)].Sequence;
            var nowFirstListed = segments.Length > 0 ? segments[firstListed].Sequence : long.MaxValue;
            foreach (var segment in previous)
            {
                if (segment.Discontinuity && segment.Sequence >= previousFirstListed && segment.Sequence < nowFirstListed)
                {
                    _discontinuitySequence++;
                }
            }
        }
        var playlist = HlsPlaylistWriter.Write(segments.AsSpan(firstListed), _segmentPrefix, targetDurationMs, _discontinuitySequence, ended, _keyRotation);
        _snapshot = new Snapshot(segments, playlist, ended);
    }

    private sealed record Snapshot(HlsSegment[] Segments, byte[] Playlist, bool Ended);
}
