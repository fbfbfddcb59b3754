using Appliance.Streaming.Media;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>A frame waiting in the part being built: the frame (one reference held), where its sample starts, and its timing.</summary>
internal struct PendingSample
{
    public MediaFrame Frame;
    public int BodyOffset;
    public int Size;
    public long Ms;
    public int CompositionMs;
    public bool Sync;
}

/// <summary>
/// Where parts end: a part is the longest run of frames, from its first, whose end (the next
/// frame's timestamp) lies at most the part target after its start, and at least one frame. So
/// no part is longer than the target (a single frame longer than it is the only exception), and
/// the cut depends on the frames alone: two nodes fed the same frames from the same segment start
/// cut the same parts, whatever they saw before. The rule needs to see the frame after a part's
/// last one; when a frame lands exactly on the target the part closes with no wait.
/// </summary>
internal static class PartRule
{
    /// <summary>
    /// How many of the leading <paramref name="pending"/> samples make the next part, or 0 while
    /// that depends on frames still to come. <paramref name="endMs"/> is where the last pending
    /// sample ends when that is known (the segment is being completed), or null.
    /// </summary>
    public static int NextPartLength(ReadOnlySpan<PendingSample> pending, long? endMs, long targetMs)
    {
        var count = pending.Length;
        if (count == 0)
        {
            return 0;
        }
        var start = pending[0].Ms;
        var fitting = 0;
        // Sample i fits when its end, the start of sample i + 1, is within the target.
        while (fitting < count - 1 && pending[fitting + 1].Ms - start <= targetMs)
        {
            fitting++;
        }
        if (fitting < count - 1)
        {
            return Math.Max(fitting, 1);
        }
        if (endMs is { } end)
        {
            return end - start <= targetMs ? count : Math.Max(count - 1, 1);
        }
        // The newest sample ends after its own timestamp: at or past the target it cannot fit.
        return pending[count - 1].Ms - start >= targetMs ? count - 1 : 0;
    }
}
