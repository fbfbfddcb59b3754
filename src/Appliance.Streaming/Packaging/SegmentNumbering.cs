namespace Appliance.Streaming.Packaging;

/// <summary>
/// Where a stream's segments are cut and how they are numbered, the one rule the HLS-TS segmenter
/// and the CMAF packager share, so CMAF segment N holds the media of TS segment N and two nodes
/// packaging the same stream number their segments alike (DESIGN.md, principle 6): a segment
/// starts at the first cut point after each multiple of the target in media time (its "bucket"),
/// and the first segment a node cuts is numbered by its bucket index; numbers then stay
/// consecutive, as HLS and DASH $Number$ require, so a keyframe interval longer than the target
/// (a bucket with no cut) shifts them from then on.
/// </summary>
internal sealed class SegmentNumbering(long targetMs)
{
    /// <summary>A step in media time bigger than this (either way) is a new timeline, not a long frame.</summary>
    public const long TimestampJumpMs = 10_000;

    // A cut point this close after a boundary counts as on it (a stream starting at 0, say).
    private const long BoundarySlackMs = 100;

    private long _next = -1;
    private long? _firstSeenBucket;

    public long TargetMs => targetMs;

    /// <summary>The number the next segment gets, or -1 before the first one.</summary>
    public long Next => _next;

    public static bool IsJump(long lastMs, long atMs) => lastMs != long.MinValue && Math.Abs(atMs - lastMs) > TimestampJumpMs;

    public long Bucket(long atMs) => Math.Max(0, atMs) / targetMs;

    /// <summary>A cut point at <paramref name="atMs"/> ends a segment that started at <paramref name="startMs"/>.</summary>
    public bool EndsSegment(long startMs, long atMs) => Bucket(atMs) > Bucket(startMs);

    /// <summary>
    /// Whether the first segment may start at a cut point at <paramref name="atMs"/>: only on a
    /// bucket boundary (or in the second bucket seen), never mid-way, so a node that starts late
    /// cuts where one that started early does. After the first segment (a break) it starts at once.
    /// </summary>
    public bool MayStartAt(long atMs)
    {
        if (_next >= 0)
        {
            return true;
        }
        _firstSeenBucket ??= Bucket(atMs);
        return atMs % targetMs < BoundarySlackMs || Bucket(atMs) > _firstSeenBucket;
    }

    /// <summary>Takes the number of a segment starting at <paramref name="atMs"/>.</summary>
    public long Take(long atMs)
    {
        var number = _next >= 0 ? _next : Bucket(atMs);
        _next = number + 1;
        return number;
    }
}
