namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// One track's complete segments, as HLS's <c>SegmentWindow</c> keeps them: the listed ones plus
/// a few extra for players that are behind (given up first when the node-wide cache is over its
/// cap), each counted in the <see cref="SegmentCache"/>, and the init segments they need. The
/// stream's lock guards it; readers see its arrays through snapshots.
/// </summary>
internal sealed class CmafWindow(SegmentCache cache, int listed, int extra)
{
    private CmafSegment[] _segments = [];
    private CmafInit[] _inits = [];

    public SegmentCache Cache => cache;

    /// <summary>Every segment kept, oldest first (listed and extra).</summary>
    public CmafSegment[] Segments => _segments;

    /// <summary>The init segments the kept segments and the segment in progress need.</summary>
    public CmafInit[] Inits => _inits;

    /// <summary>How many of the newest segments the playlists list.</summary>
    public int Listed => listed;

    /// <summary>Discontinuities that scrolled off the listed window (EXT-X-DISCONTINUITY-SEQUENCE).</summary>
    public long DiscontinuitySequence { get; private set; }

    public int FirstListedIndex => Math.Max(0, _segments.Length - listed);

    /// <summary>Adds a complete segment and drops the oldest past the window.</summary>
    public void Add(CmafSegment segment)
    {
        var firstListedBefore = _segments.Length > 0 ? _segments[FirstListedIndex].Number : long.MaxValue;
        var kept = new List<CmafSegment>(_segments.Length + 1);
        kept.AddRange(_segments);
        kept.Add(segment);
        cache.Added(segment.File.Length);
        var limit = listed + (cache.IsOverCap ? 0 : extra);
        var evicted = Math.Max(0, kept.Count - limit);
        var next = kept.GetRange(evicted, kept.Count - evicted).ToArray();
        var firstListedNow = next[Math.Max(0, next.Length - listed)].Number;
        foreach (var old in _segments)
        {
            if (old.Discontinuity && old.Number >= firstListedBefore && old.Number < firstListedNow)
            {
                DiscontinuitySequence++;
            }
        }
        _segments = next;
        for (var i = 0; i < evicted; i++)
        {
            cache.Removed(kept[i].File.Length, evicted: true);
            kept[i].File.Release();
        }
    }

    /// <summary>Keeps <paramref name="init"/> (the one the next segments use) and those of the kept segments; releases the rest.</summary>
    public void KeepInits(CmafInit? current)
    {
        var needed = new List<CmafInit>(_inits.Length + 1);
        foreach (var init in _inits)
        {
            if (ReferenceEquals(init, current) || Array.Exists(_segments, s => ReferenceEquals(s.Init, init)))
            {
                needed.Add(init);
            }
            else
            {
                init.File.Release();
            }
        }
        if (current is not null && !needed.Contains(current))
        {
            needed.Add(current);
        }
        _inits = needed.ToArray();
    }

    public CmafSegment? Find(long number)
    {
        var segments = _segments;
        if (segments.Length == 0)
        {
            return null;
        }
        var index = number - segments[0].Number;
        return index >= 0 && index < segments.Length && segments[index].Number == number ? segments[index] : null;
    }

    /// <summary>Frees every segment and init (packaging stopped).</summary>
    public void Clear()
    {
        foreach (var segment in _segments)
        {
            cache.Removed(segment.File.Length, evicted: false);
            segment.File.Release();
        }
        foreach (var init in _inits)
        {
            init.File.Release();
        }
        _segments = [];
        _inits = [];
    }
}
