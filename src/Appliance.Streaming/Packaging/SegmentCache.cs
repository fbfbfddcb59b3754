namespace Appliance.Streaming.Packaging;

/// <summary>
/// Node-wide accounting of segment memory, and the cache's counters. Each stream's window asks
/// it whether the node is over its cap before keeping extra segments.
/// </summary>
public sealed class SegmentCache(long maxBytes)
{
    private long _bytes;
    private long _segments;
    private long _hits;
    private long _misses;
    private long _evictions;

    public long MaxBytes { get; } = maxBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Segments => Interlocked.Read(ref _segments);

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Evictions => Interlocked.Read(ref _evictions);

    public bool IsOverCap => Bytes > MaxBytes;

    internal void Added(long bytes)
    {
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _segments);
    }

    internal void Removed(long bytes, bool evicted)
    {
        Interlocked.Add(ref _bytes, -bytes);
        Interlocked.Decrement(ref _segments);
        if (evicted)
        {
            Interlocked.Increment(ref _evictions);
        }
    }

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);
}
